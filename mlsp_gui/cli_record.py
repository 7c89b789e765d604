"""`mlsp record [--seconds S] [--device NAME] [--out FILE.wav] [--rate HZ] [--list] [--json]`: record
from a microphone into a WAV file, as the window's File → Record does.

It records S seconds (default 5; Ctrl+C stops early and keeps what was recorded) from the system's
default input, or from NAME (a device id or description, as `--list` and `mlsp doctor` show them).
Without --out the file goes to the recordings folder of the user's data. --json prints
{"path", "seconds", "sample_rate", "samples", "peak", "rms", "device", "cut_at_limit",
"interrupted"} ("interrupted" says why a recording ended early, keeping what came; "" otherwise).
"""
from __future__ import annotations

import argparse
import sys

from engine.cli.common import add_command, add_json, print_json
from engine.errors import ConfigError, InputError

MAX_SECONDS = 600.0


def register(subparsers) -> None:
    p = add_command(subparsers, "record", "record from a microphone into a WAV file", __doc__, run)
    p.add_argument("--seconds", type=float, default=5.0, help=f"how long to record (at most {MAX_SECONDS:.0f})")
    p.add_argument("--device", metavar="NAME", help="input device id or description (default: the system's default)")
    p.add_argument("--out", metavar="FILE.wav", help="where to write (default: a new file in the recordings folder)")
    p.add_argument("--rate", type=int, default=16_000, help="sample rate of the file in Hz (default 16000)")
    p.add_argument("--list", action="store_true", help="list the audio input devices and exit")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    if not 0 < args.seconds <= MAX_SECONDS:
        raise ConfigError(f"--seconds must be between 0 and {MAX_SECONDS:.0f}, not {args.seconds:g}.")
    if not 8_000 <= args.rate <= 192_000:
        raise ConfigError(f"--rate must be between 8000 and 192000 Hz, not {args.rate}.")
    if args.out and not args.out.lower().endswith(".wav"):
        raise ConfigError(f"a recording is written as WAV; name the file {args.out.rsplit('.', 1)[0]}.wav.")
    from mlsp_gui.cli_audio import ensure_app, print_devices, quiet_multimedia, run_until_quit

    quiet_multimedia()
    from engine.data.recording import new_recording_path
    from mlsp_gui.audio_devices import device_rows, devices, find_device
    from mlsp_gui.recorder import Recorder

    app = ensure_app()
    if args.list:
        print_devices(device_rows(devices("input")), args.json, "input")
        return 0
    device = find_device("input", args.device)
    path = args.out or str(new_recording_path())
    rec = Recorder(device, path, max_seconds=args.seconds, rate=args.rate)
    outcome: dict = {}
    rec.finished.connect(lambda info: (outcome.setdefault("info", info), app.quit()))
    rec.failed.connect(lambda message: (outcome.setdefault("error", message), app.quit()))
    if not args.json and sys.stderr.isatty():
        rec.progress.connect(lambda s: print(f"\rrecording {s:5.1f} s of {args.seconds:g} s", end="", file=sys.stderr))
    rec.start()
    if not outcome:
        run_until_quit(app, rec.stop, int(args.seconds * 1000) + 15_000, on_limit=rec.keep_or_discard)
    if "error" in outcome and "info" not in outcome:
        raise InputError(outcome["error"])
    info = outcome["info"]
    facts = {"path": info.path, "seconds": round(info.seconds, 4), "sample_rate": info.sample_rate,
             "samples": info.samples, "peak": round(info.peak, 5), "rms": round(info.rms, 5),
             "device": device.description(), "cut_at_limit": info.cut_at_limit, "interrupted": rec.interrupted}
    if args.json:
        print_json(facts)
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(f"Recorded {info.seconds:.2f} s at {info.sample_rate} Hz from '{device.description()}' into "
              f"{info.path} (peak {info.peak:.2f})")
    if rec.interrupted:
        print(f"warning: {rec.interrupted}", file=sys.stderr)
    if info.peak == 0.0:
        print("warning: the recording is silent; is the microphone muted?", file=sys.stderr)
    return 0
