"""A lesson's input made real: the text itself, or a file the window and the CLI can open.

    text / source            the text
    audio = "builtin:words/seven"   the first test-split clip of that word in builtin:words,
                                    written as a 16 kHz WAV
    audio = "path.wav"              a file, relative to the project folder (or absolute)
    image = "sklearn:china.jpg"     one of scikit-learn's sample photos
    image = "builtin:digits/3"      a handwritten 3 from the test split of builtin:digits (white
                                    ink on black, as the vision models see it), enlarged to 128 x 128
    image = "path.png"              a file, relative to the project folder (or absolute)

Generated files go to the user-data folder (`lesson-inputs/`), written once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import InputError
from engine.records.lessons import LessonInput

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LessonMaterial:
    kind: str                     # "text" | "source-target" | "audio" | "image" | "record"
    name: str
    text: str | None = None
    path: Path | None = None


def materialize(inp: LessonInput) -> LessonMaterial:
    name = inp.name or inp.value[:40]
    if inp.kind in ("text", "source-target", "record"):
        return LessonMaterial(inp.kind, name, text=inp.value)
    if inp.value.startswith("builtin:words/"):
        return LessonMaterial("audio", inp.name or inp.value.split("/", 1)[1], path=_word_clip(inp.value.split("/", 1)[1]))
    if inp.value.startswith("sklearn:"):
        return LessonMaterial("image", inp.name or inp.value[8:], path=_sklearn_image(inp.value[8:]))
    if inp.value.startswith("builtin:digits/"):
        return LessonMaterial("image", inp.name or f"digit {inp.value.rsplit('/', 1)[1]}",
                              path=_digit(inp.value.rsplit("/", 1)[1]))
    path = Path(inp.value).expanduser()
    path = path if path.is_absolute() else PROJECT / path
    if not path.is_file():
        raise InputError(f"the lesson's {inp.kind} file {inp.value} does not exist.")
    return LessonMaterial(inp.kind, name, path=path)


def _folder() -> Path:
    from engine.paths import user_data_dir

    folder = user_data_dir() / "lesson-inputs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sklearn_image(name: str) -> Path:
    from PIL import Image
    from sklearn.datasets import load_sample_image

    out = _folder() / f"sklearn-{Path(name).stem}.png"
    if not out.is_file():
        try:
            pixels = load_sample_image(name)
        except (AttributeError, ValueError, OSError):
            raise InputError(f"scikit-learn has no sample image '{name}'; try china.jpg or flower.jpg.") from None
        Image.fromarray(pixels).save(out)
    return out


def _digit(which: str) -> Path:
    from PIL import Image
    from sklearn.datasets import load_digits

    if not which.isdigit() or not 0 <= int(which) <= 9:
        raise InputError(f"builtin:digits/{which}: give a digit from 0 to 9.")
    out = _folder() / f"digit-{which}-test.png"
    if not out.is_file():
        from engine.data.image_sets import digits_split

        digits = load_digits()
        test = digits_split()[1]                                            # never seen in pre-training
        index = int(test[np.flatnonzero(digits.target[test] == int(which))[0]])
        img = (digits.images[index] * (255 / 16)).astype(np.uint8)          # white ink on black, as the models see digits
        Image.fromarray(img).resize((128, 128), Image.NEAREST).save(out)
    return out


def _word_clip(word: str) -> Path:
    import soundfile as sf

    out = _folder() / f"word-{word}.wav"
    if not out.is_file():
        from engine.data.words import resolve_words

        corpus = resolve_words("builtin:words")
        if word not in corpus.labels:
            raise InputError(f"builtin:words has no word '{word}'; it has {', '.join(corpus.labels)}.")
        test = corpus.test
        clip = test[int(np.flatnonzero(test.label_ids == corpus.labels.index(word))[0])]
        sf.write(out, np.asarray(clip.samples, np.float32), clip.sample_rate)
    return out
