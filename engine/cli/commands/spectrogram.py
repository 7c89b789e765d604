"""`mlsp spectrogram AUDIO`: the short-time power spectrum of an audio file, as the window's Audio
view draws it: --out writes an NPZ (power_db [bins, frames], times, freqs, and the settings),
--png a picture of the waveform over the spectrogram; --json prints the facts and the loudest
bin. Power is in dB relative to full scale (a full-scale sine peaks at 0 dB)."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from engine.cli.common import add_command, add_json, print_json, read_audio_argument
from engine.errors import ConfigError


def register(subparsers) -> None:
    p = add_command(subparsers, "spectrogram", "spectrogram of an audio file (NPZ, PNG, JSON)", __doc__, run)
    p.add_argument("input", metavar="AUDIO", help="an audio file (WAV, FLAC, OGG, MP3, ...)")
    p.add_argument("--n-fft", type=int, default=512, help="frame length in samples (default 512)")
    p.add_argument("--hop", type=int, default=None, help="samples between frames (default n-fft / 4)")
    p.add_argument("--mels", type=int, default=0, help="mel bands instead of a linear axis (0: linear, the default)")
    p.add_argument("--rate", type=int, default=None, help="resample to this rate first (default: the file's own)")
    p.add_argument("--out", metavar="spec.npz", help="write the numbers")
    p.add_argument("--png", metavar="spec.png", help="draw the waveform and the spectrogram")
    add_json(p)


def _target(path: str, suffix: str) -> Path:
    p = Path(path).expanduser()
    if p.suffix == "":
        p = p.with_name(p.name + suffix)
    elif p.suffix.lower() != suffix:
        raise ConfigError(f"{p.name} should end in {suffix}.")
    if not p.parent.is_dir():
        raise ConfigError(f"cannot write {p}: the folder {p.parent} does not exist; choose an existing folder.")
    return p


def run(args: argparse.Namespace) -> int:
    from engine.probes.spectrogram import spectrogram

    out = _target(args.out, ".npz") if args.out else None
    png = _target(args.png, ".png") if args.png else None
    audio = read_audio_argument(args.input, args.rate)
    spec = spectrogram(audio, n_fft=args.n_fft, hop=args.hop, mels=args.mels)
    files = {}
    if out is not None:
        try:
            np.savez_compressed(out, power_db=spec.power_db, times=spec.times, freqs=spec.freqs,
                                sample_rate=spec.sample_rate, n_fft=spec.n_fft, hop=spec.hop,
                                scale=np.array(spec.scale), floor_db=spec.floor_db)
        except OSError as exc:
            raise ConfigError(f"cannot write {out}: {exc.strerror or exc}; choose another path.") from None
        files["npz"] = str(out)
    if png is not None:
        from engine.render.spectrogram_png import render_spectrogram_png

        files["png"] = str(render_spectrogram_png(spec, audio.samples, png))
    f, t = np.unravel_index(int(np.argmax(spec.power_db)), spec.power_db.shape)
    facts = {"input": audio.path, "sample_rate": spec.sample_rate, "duration": round(audio.duration, 6),
             "n_fft": spec.n_fft, "hop": spec.hop, "scale": spec.scale, "bins": spec.bins, "frames": spec.frames,
             "loudest": {"hz": float(spec.freqs[f]), "seconds": float(spec.times[t]), "db": float(spec.power_db[f, t])},
             "note": audio.note, "files": files}
    if args.json:
        print_json(facts)
    else:
        print(f"{audio.name}: {spec.frames} frames × {spec.bins} {spec.scale} bins ({audio.duration:.2f} s at "
              f"{spec.sample_rate} Hz, n_fft {spec.n_fft}, hop {spec.hop}); loudest {facts['loudest']['hz']:.0f} Hz "
              f"at {facts['loudest']['seconds']:.2f} s, {facts['loudest']['db']:.1f} dB")
        if audio.note:
            print(f"note: {audio.note}")
        for path in files.values():
            print(f"wrote {path}")
    return 0
