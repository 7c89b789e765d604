"""`bert-mini`: a small BERT with a masked-language-model head, pre-trained by `mlsp train bert-mini`
on the built-in grammar (or your text) with a WordPiece tokenizer trained on the same corpus."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="bert-mini",
    title="bert-mini (masked language model, trainable)",
    capabilities={C.FILL_MASK, C.ATTENTION, C.TOKEN_STATES, C.EMBED, C.TRAIN},
    inputs=(I.TEXT, I.TEXT_PAIR),
    outputs=(O.TOKEN_PROBS, O.ATTENTION, O.VECTORS),
    data_kind="text",
    source="builtin",
    description="A 4-layer, 4-head, 128-d BERT encoder with an MLM head, pre-trained by masked language modelling "
                "(15 % of tokens chosen: 80 % [MASK], 10 % random, 10 % kept) with a WordPiece tokenizer trained on the "
                "corpus. The shipped weights were trained on builtin:grammar; `mlsp fill-mask bert-mini "
                "\"the king rules the kingdom and he lives in the [MASK]\"`.",
    loader="engine.loaders.bert_mini:load_bert_mini",
    config="engine.models.bert_mini:BertMiniConfig",
    task="engine.tasks.bert_mini:BertMiniTask",
    default_data="builtin:grammar",
    weights="bert-mini",
))
