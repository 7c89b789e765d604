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
        from mlsp_gui.audio_devices import device_rows, devices  # Qt Multimedia logs while loading

        app = ensure_app()       # alive while the devices are listed
        found = device_rows(devices("input"))
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


def run_until_quit(app, stop, limit_ms: int, on_limit=None) -> None:
    """Run Qt's loop until something calls `app.quit()`; Ctrl+C calls `stop`, and reaching
    `limit_ms` (a device that never ends) calls `on_limit` (default `stop`); both must end in a quit."""
    import signal

    from PySide6.QtCore import QTimer

    previous = signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, stop))
    ticker = QTimer(interval=100, timeout=lambda: None)      # lets Python see Ctrl+C while Qt waits
    ticker.start()
    QTimer.singleShot(limit_ms, on_limit or stop)
    try:
        app.exec()
    finally:
        ticker.stop()
        signal.signal(signal.SIGINT, previous)


def print_devices(rows: list[dict], as_json: bool, kind: str) -> None:
    """What `mlsp record --list` and `mlsp play --list` print."""
    if as_json:
        from engine.cli.common import print_json

        print_json(rows)
        return
    for r in rows:
        print(f"{r['id']}\t{r['description']}{'  (default)' if r['default'] else ''}")
    if not rows:
        import sys

        print(f"no audio {kind} device found", file=sys.stderr)
