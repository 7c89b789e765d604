"""`simclr`: pretext: contrastive instance discrimination on the vit backbone."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="simclr",
    title="SimCLR (pretext: contrastive instance discrimination)",
    capabilities={C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.IMAGE,),
    outputs=(O.VECTORS, O.ATTENTION),
    data_kind="images",
    source="builtin",
    description="The vit backbone with a projection head, trained so two augmented views of one image are each "
                "other's nearest among the batch (NT-Xent with a temperature; Chen et al. 2020); no labels used.",
    loader="engine.loaders.vision:load_vision",
    config="engine.models.pretext_configs:SimCLRConfig",
    task="engine.tasks.simclr:SimCLRTask",
    default_data="builtin:digits",
    weights="simclr",
))
