"""Spoken-word test material: tone "words" in a Speech Commands folder, and a tiny lstm-attn run
trained on them through the real trainer (a few steps, two checkpoints)."""
from __future__ import annotations

import numpy as np

RATE = 16_000


def tone_word(freq: float, seed: int, seconds: float = 0.6) -> np.ndarray:
    """A Hann-windowed tone near `freq` (a random 2 % detune per seed)."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.default_rng(seed)
    return (0.3 * np.sin(2 * np.pi * freq * (1 + 0.02 * rng.standard_normal()) * t) * np.hanning(len(t))).astype(np.float32)


def word_folder(root, words=(("low", 300.0), ("high", 2000.0)), speakers=8):
    import soundfile as sf

    for w, freq in words:
        (root / w).mkdir(parents=True)
        for s in range(speakers):
            sf.write(root / w / f"spk{s}_nohash_0.wav", tone_word(freq, s), RATE)
    return root


def tiny_lstm_run(tmp) -> object:
    """A run folder of lstm-attn (hidden 8) trained 6 steps on a tone-word folder, checkpoints at 3 and 6."""
    from engine.cli import main

    word_folder(tmp / "words")
    code = main(["train", "lstm-attn", "--data", str(tmp / "words"), "--steps", "6", "--batch-size", "8",
                 "--checkpoint-every", "3", "--set", "hidden=8", "--set", "attn=8", "--out", str(tmp / "run"),
                 "--device", "cpu", "--json"])
    assert code == 0
    return tmp / "run"


def tiny_wav2vec_run(tmp) -> object:
    """A run folder of wav2vec-mini (tiny) trained 4 steps on a tone-word folder, checkpoints at 2 and 4."""
    from engine.cli import main

    word_folder(tmp / "words")
    sets = ["conv_channels=16", "d_model=16", "layers=1", "heads=2", "d_ff=32", "entries=8", "code_dim=8", "final_dim=8",
            "distractors=4"]
    code = main(["train", "wav2vec-mini", "--data", str(tmp / "words"), "--steps", "4", "--batch-size", "4",
                 "--checkpoint-every", "2", *[a for s in sets for a in ("--set", s)], "--out", str(tmp / "run"),
                 "--device", "cpu", "--json"])
    assert code == 0
    return tmp / "run"
