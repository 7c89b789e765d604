"""`patches`: an image cut into ViT-style patches (224 × 224, 16 × 16 pixels each: 196 patches of
768 values), the input a vision transformer embeds. Nothing to train or download: each patch of
an image input becomes one vector, so the projector shows which regions look alike before any
model, and `mlsp embed patches IMAGE` writes them as projector TSV."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="patches",
    title="Image patches (raw pixels, no training)",
    capabilities={C.EMBED},
    inputs=(I.IMAGE,),
    outputs=(O.VECTORS,),
    source="features",
    description="The image resized to 224 × 224 and cut into 196 patches of 16 × 16 pixels, each one "
                "768 RGB values in 0..1: what a vision transformer takes in. Needs no weights.",
    loader="engine.loaders.patches:load_patches",
))
