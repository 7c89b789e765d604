"""The current image input's patches (raw pixels by default): one point per 16 × 16 patch."""
from __future__ import annotations

from engine.contract.capabilities import Capability
from engine.errors import InputError
from engine.projection.sources import SourceRequest, SourceSpec, register


def fetch(state, model, request: SourceRequest):
    from engine.probes.embed import embed_media

    if request.image is None:
        raise InputError("the Image patches source needs an image input: open a PNG or JPEG file, then "
                         "select it in the Inputs dock.")
    state.progress(0.3, f"cutting {request.image.name} into patches")
    return embed_media(model, request.image)


register(SourceSpec(
    id="image-patches", title="Image patches (of the input)", needs=Capability.EMBED, default_model="patches",
    fetch=f"{__name__}:fetch", modality="image", order=45,
    description="The current image input cut into 196 patches of 16 × 16 pixels (as a vision transformer "
                "sees it), coloured by brightness, row or column."))
