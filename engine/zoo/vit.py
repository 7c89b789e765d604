"""`vit`: a small vision transformer trained with labels (supervised classification)."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="vit",
    title="ViT (vision transformer, supervised classifier)",
    capabilities={C.CLASSIFY, C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.IMAGE,),
    outputs=(O.LABELS, O.VECTORS, O.ATTENTION),
    data_kind="images",
    source="builtin",
    description="Patch embedding, class token, positional embeddings, a 4-layer pre-LN encoder and a linear "
                "classifier on the class token; 32 × 32 images in 4 × 4 patches. Trained with labels on the digits.",
    loader="engine.loaders.vision:load_vision",
    config="engine.models.vit:ViTConfig",
    task="engine.tasks.vit:ViTTask",
    default_data="builtin:digits",
    weights="vit",
))
