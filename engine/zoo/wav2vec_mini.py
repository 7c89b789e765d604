"""`wav2vec-mini`: wav2vec 2.0 in miniature — a strided convolutional feature encoder over the
waveform, a Gumbel-softmax product quantiser, span masking, a transformer on the project's blocks,
contrastive + diversity losses — pre-trained without labels on `builtin:words`; shipped weights in
assets/wav2vec-mini/."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="wav2vec-mini",
    title="wav2vec-mini (self-supervised speech: masked frames, codes)",
    capabilities={C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.AUDIO,),
    outputs=(O.VECTORS, O.ATTENTION),
    source="builtin",
    data_kind="words",
    description="A small wav2vec 2.0: 20 ms frames from strided convolutions over the waveform, quantised by "
                "2 × 32 Gumbel-softmax codebooks; spans of frames are masked and a 2-layer transformer learns to "
                "pick each masked frame's true code among distractors. Embeds frames (context vectors) or the "
                "utterance; attention over frames per layer and head.",
    loader="engine.loaders.wav2vec_mini:load_wav2vec_mini",
    config="engine.models.wav2vec_mini:Wav2VecConfig",
    task="engine.tasks.wav2vec_mini:Wav2VecTask",
    default_data="builtin:words",
    weights="wav2vec-mini",
))
