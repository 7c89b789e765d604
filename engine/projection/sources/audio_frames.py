"""The current audio input's frames (log-mel features by default): one point per 10 ms."""
from __future__ import annotations

from engine.contract.capabilities import Capability
from engine.errors import InputError
from engine.projection.sources import SourceRequest, SourceSpec, register


def fetch(state, model, request: SourceRequest):
    from engine.probes.embed import embed_media

    if request.audio is None:
        raise InputError("the Audio frames source needs an audio input: open a sound file or record one, "
                         "then select it in the Inputs dock.")
    state.progress(0.3, f"framing {request.audio.name}")
    return embed_media(model, request.audio)


register(SourceSpec(
    id="audio-frames", title="Audio frames (of the input)", needs=Capability.EMBED, default_model="logmel",
    fetch=f"{__name__}:fetch", modality="audio", order=40,
    description="Every 10 ms frame of the current audio input as a log-mel vector, coloured by where in "
                "the recording it is or by loudness."))
