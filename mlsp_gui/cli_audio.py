"""Audio input devices for `mlsp doctor`, through Qt Multimedia (the application layer's part).

Works headless: with no display it uses the offscreen platform, and with no audio server
(PulseAudio/PipeWire) it reports none found and why, instead of failing."""
from __future__ import annotations

import os


def quiet_multimedia() -> None:
    """Qt Multimedia's back-end search ("couldn't load pipewire", the FFmpeg banner) is not news on
    a command line; call before the first Qt Multimedia import."""
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")


def ensure_app():
    """A Qt application object: the existing one, else a QCoreApplication (no display needed)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is None:
        quiet_multimedia()
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QCoreApplication(["mlsp"])
    return app


def list_audio_inputs() -> tuple[list[dict], list[str]]:
    """([{description, id, default}], Qt's warnings while looking) for every audio input device."""
    from PySide6.QtCore import qInstallMessageHandler

    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _ctx, msg: messages.append(str(msg)))
    try:
        from PySide6.QtMultimedia import QMediaDevices   # its back-end logs while loading

        app = ensure_app()       # alive while the devices are listed
        found = [{"description": d.description(), "id": bytes(d.id().data()).decode("utf-8", "replace"),
                  "default": bool(d.isDefault())} for d in QMediaDevices.audioInputs()]
        del app
    finally:
        qInstallMessageHandler(previous)
    return found, messages


def audio_facts() -> dict:
    """The `audio_inputs` / `audio_note` facts `mlsp doctor` reports."""
    try:
        found, messages = list_audio_inputs()
    except ImportError as exc:
        return {"audio_inputs": None, "audio_note": f"not checked: Qt Multimedia could not be loaded ({exc})"}
    note = ""
    if not found:
        no_server = any("pa_context_connect" in m or "connect" in m.lower() and "pulse" in m.lower() for m in messages)
        note = ("no audio server answered (is PulseAudio or PipeWire running?)" if no_server
                else "the audio system reports no input device (plug in or enable a microphone)")
    return {"audio_inputs": found, "audio_note": note}
