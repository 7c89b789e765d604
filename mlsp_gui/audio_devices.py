"""Audio devices through Qt Multimedia, for the recorder, the player, their commands and
`mlsp doctor`: a device's id, the rows `--list` prints, and finding one by id or description."""
from __future__ import annotations

from PySide6.QtMultimedia import QAudioDevice, QMediaDevices

from engine.errors import InputError

KINDS = {  # kind: (devices, default, the word, advice when there is none)
    "input": (QMediaDevices.audioInputs, QMediaDevices.defaultAudioInput, "microphone",
              "plug one in or check that PulseAudio or PipeWire is running (`mlsp doctor` lists what it finds)"),
    "output": (QMediaDevices.audioOutputs, QMediaDevices.defaultAudioOutput, "speaker",
               "check that PulseAudio or PipeWire is running"),
}


def device_id(device: QAudioDevice) -> str:
    return bytes(device.id().data()).decode("utf-8", "replace")


def devices(kind: str) -> list[QAudioDevice]:
    """Every audio "input" or "output" device."""
    return list(KINDS[kind][0]())


def device_rows(found: list[QAudioDevice]) -> list[dict]:
    """{"description", "id", "default"} for each device (what `--list` and `mlsp doctor` print)."""
    return [{"description": d.description(), "id": device_id(d), "default": bool(d.isDefault())} for d in found]


def find_device(kind: str, name: str | None = None) -> QAudioDevice:
    """The `kind` device whose id or description is `name` (exactly, else the only one containing
    it, ignoring case); the system's default when `name` is empty."""
    listing, default_of, word, advice = KINDS[kind]
    found = list(listing())
    if not found:
        raise InputError(f"no {word} found: the audio system reports no {kind} device; {advice}.")
    if not name:
        default = default_of()
        return default if not default.isNull() else found[0]
    exact = [d for d in found if name in (device_id(d), d.description())]
    if exact:
        return exact[0]
    partial = [d for d in found if name.lower() in f"{device_id(d)} {d.description()}".lower()]
    if len(partial) == 1:
        return partial[0]
    known = "; ".join(f"{device_id(d)} ({d.description()})" for d in found)
    raise InputError(f"'{name}' {'matches several' if partial else 'matches no'} audio {kind}; give one of: {known}.")
