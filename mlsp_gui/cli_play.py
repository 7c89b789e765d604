"""`mlsp play AUDIO [--device NAME] [--start S] [--list] [--json]`: play an audio file through a
speaker, as the Audio view's Play button does; Ctrl+C stops. --json prints {"path", "device",
"start", "stopped_at", "duration"} when it ends; --list shows the output devices."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_json, print_json, read_audio_argument
from engine.errors import ConfigError, InputError


def register(subparsers) -> None:
    p = add_command(subparsers, "play", "play an audio file through a speaker", __doc__, run)
    p.add_argument("input", metavar="AUDIO", nargs="?", help="an audio file (WAV, FLAC, OGG, MP3, ...)")
    p.add_argument("--device", metavar="NAME", help="output device id or description (default: the system's default)")
    p.add_argument("--start", type=float, default=0.0, help="start this many seconds in")
    p.add_argument("--list", action="store_true", help="list the audio output devices and exit")
    add_json(p)


def run(args: argparse.Namespace) -> int:
    from mlsp_gui.cli_audio import ensure_app, print_devices, quiet_multimedia, run_until_quit

    if not args.list:
        if not args.input:
            raise ConfigError("give the AUDIO file to play (or --list to see the output devices).")
        audio = read_audio_argument(args.input)          # the file is checked (kind, header) before playing
        if not 0 <= args.start < audio.duration:
            raise ConfigError(f"--start must be between 0 and the sound's length ({audio.duration:.2f} s), "
                              f"not {args.start:g}.")
    quiet_multimedia()
    from mlsp_gui.audio_devices import device_rows, devices, find_device
    from mlsp_gui.player import Player

    app = ensure_app()
    if args.list:
        print_devices(device_rows(devices("output")), args.json, "output")
        return 0
    device = find_device("output", args.device)
    player = Player()
    outcome: dict = {}
    player.ended.connect(lambda at: (outcome.setdefault("stopped_at", at), app.quit()))
    player.failed.connect(lambda message: (outcome.setdefault("error", message), app.quit()))
    player.play(audio.path, args.start, device)
    if not outcome:
        run_until_quit(app, player.stop, int((audio.duration - args.start) * 1000) + 15_000)
    if "error" in outcome:
        raise InputError(outcome["error"])
    facts = {"path": audio.path, "device": device.description(), "start": args.start,
             "stopped_at": round(outcome.get("stopped_at", 0.0), 3), "duration": round(audio.duration, 3)}
    if args.json:
        print_json(facts)
    else:
        print(f"played {audio.name} on '{device.description()}' from {args.start:g} s to {facts['stopped_at']:.2f} s "
              f"(of {audio.duration:.2f} s)")
    return 0
