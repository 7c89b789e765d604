"""`vit-mae`: the masked autoencoder on the project's ViT; reconstructs hidden patches."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="vit-mae",
    title="ViT-MAE (masked autoencoder: reconstruct hidden patches)",
    capabilities={C.RECONSTRUCT, C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.IMAGE,),
    outputs=(O.IMAGE, O.VECTORS, O.ATTENTION),
    data_kind="images",
    source="builtin",
    description="A masked autoencoder (He et al. 2022) on a small vision transformer: 32 × 32 images, 4 × 4 patches, "
                "75% of them hidden at random; the decoder predicts the hidden pixels. Trained on the digits.",
    loader="engine.loaders.vision:load_vision",
    config="engine.models.vit_mae:MAEConfig",
    task="engine.tasks.vit_mae:MAETask",
    default_data="builtin:digits",
    weights="vit-mae",
))
