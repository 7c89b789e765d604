"""`mlsp classify MODEL AUDIO...`: the spoken word in each audio file, every word's probability and
where the model listened (a_t per 10 ms frame for lstm-attn).

`--json` prints one list, an object per file: {"input", "label", "probs": {word: p}, "attention":
[a_t], "times": [seconds], "duration", "note", "model"}. A file longer than 30 s, shorter than the
model's receptive field, or silent is refused with a message (every file is checked before any work)."""
from __future__ import annotations

import argparse

from engine.cli.common import add_command, add_device, add_json, add_model, print_json, read_audio_argument
from engine.contract.capabilities import Capability, InputKind
from engine.contract.loaded import cannot_message
from engine.errors import InputError, ModelError


def register(subparsers) -> None:
    p = add_command(subparsers, "classify", "the spoken word in audio files, with probabilities and attention",
                    __doc__, run)
    add_model(p, "lstm-attn (the shipped weights) or an lstm-attn run folder")
    p.add_argument("inputs", nargs="+", metavar="AUDIO", help="audio file (WAV, FLAC, OGG, MP3, ...)")
    p.add_argument("--top", type=int, default=3, metavar="K", help="words shown per file in plain output (default 3)")
    add_device(p)
    add_json(p)


def compute(args: argparse.Namespace) -> list:
    from engine.data.audio_checks import MAX_SECONDS, check_audio
    from engine.probes.classify_audio import classify_audio
    from engine.zoo import load_model, resolve

    ref = resolve(args.model)
    if not ref.can(Capability.CLASSIFY):
        raise ModelError(cannot_message(args.model, Capability.CLASSIFY))
    if InputKind.AUDIO not in ref.inputs:
        raise InputError(f"'{args.model}' does not classify audio; choose lstm-attn.")
    inputs = [read_audio_argument(value) for value in args.inputs]
    for audio in inputs:                                   # every file checked before the model loads
        check_audio(audio, 1, args.model, MAX_SECONDS)
    model = load_model(ref, args.device)
    return [classify_audio(model, audio) for audio in inputs]


def run(args: argparse.Namespace) -> int:
    predictions = compute(args)
    if args.json:
        print_json([p.as_json() for p in predictions])
        return 0
    for p in predictions:
        others = ", ".join(f"{w} {q:.2f}" for w, q in p.top(max(1, args.top))[1:])
        where = ""
        if p.attention is not None and len(p.attention):
            where = f"; listened most at {p.times[int(p.attention.argmax())]:.2f} s"
        print(f"{p.input}: {p.label} ({p.probability:.2f}){' — then ' + others if others else ''}{where}")
        if p.note:
            print(f"  note: {p.note}")
    return 0
