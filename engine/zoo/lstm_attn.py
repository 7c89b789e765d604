"""`lstm-attn`: the lecture's attention LSTM over speech (a biLSTM over log-mel frames, attention
pooling u_t = tanh(W h_t + b), a_t = softmax(u_tᵀ u), l = Σ a_t h_t, a word classifier), trained
on `builtin:words`; shipped weights in assets/lstm-attn/."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="lstm-attn",
    title="Attention LSTM (spoken words, the lecture's model)",
    capabilities={C.CLASSIFY, C.ATTENTION, C.EMBED, C.TRAIN},
    inputs=(I.AUDIO,),
    outputs=(O.LABELS, O.ATTENTION, O.VECTORS),
    source="builtin",
    data_kind="words",
    description="A bidirectional LSTM over 10 ms log-mel frames, attention pooling a_t = softmax(tanh(W h_t + b)ᵀ u) "
                "and a classifier of 20 spoken words (zero-nine, yes, no, up, down, left, right, on, off, stop, go). "
                "Shows which frames a decision rests on; embeds each frame (h_t) or the utterance (l).",
    loader="engine.loaders.lstm_attn:load_lstm_attn",
    config="engine.models.lstm_attn:LstmAttnConfig",
    task="engine.tasks.lstm_attn:LstmAttnTask",
    default_data="builtin:words",
    weights="lstm-attn",
))
