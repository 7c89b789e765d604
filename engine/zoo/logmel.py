"""`logmel`: log-mel frames, the classic speech features (25 ms frames every 10 ms, 40 mel bands, in
dBFS). Nothing to train or download: each frame of an audio input becomes one vector, so the
projector shows how a recording's sounds cluster (silence, vowels, fricatives) before any model,
and `mlsp embed logmel FILE.wav` writes them as projector TSV."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="logmel",
    title="Log-mel frames (audio features, no training)",
    capabilities={C.EMBED},
    inputs=(I.AUDIO,),
    outputs=(O.VECTORS,),
    source="features",
    description="Every 10 ms frame of an audio input as 40 log-mel energies in dBFS (25 ms Hann window at "
                "16 kHz): the features speech models start from. Needs no weights.",
    loader="engine.loaders.logmel:load_logmel",
))
