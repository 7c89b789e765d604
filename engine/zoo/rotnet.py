"""`rotnet`: pretext: predict the rotation, 0/90/180/270° on the vit backbone."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="rotnet",
    title="RotNet (pretext: predict the rotation, 0/90/180/270°)",
    capabilities={C.CLASSIFY, C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.IMAGE,),
    outputs=(O.LABELS, O.VECTORS, O.ATTENTION),
    data_kind="images",
    source="builtin",
    description="The vit backbone trained to tell by how much each image was turned (Gidaris et al. 2018), every "
                "image at all four turns after a crop, shear and stretch that hide the easy cues (outline, slant); no "
                "labels used. Its class-token features feed the linear probe.",
    loader="engine.loaders.vision:load_vision",
    config="engine.models.pretext_configs:RotNetConfig",
    task="engine.tasks.rotnet:RotNetTask",
    default_data="builtin:digits",
    weights="rotnet",
))
