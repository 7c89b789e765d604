"""Pieces shared by the commands: building a parser, common options, reading INPUT arguments,
printing JSON."""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError


def add_command(subparsers, name: str, help: str, doc: str | None, run: Callable[[argparse.Namespace], int],
                description: str | None = None) -> argparse.ArgumentParser:
    """A command's parser: `help` in the command list; `description` (or the module docstring, its
    leading "`mlsp NAME ...`:" echo of the usage line dropped) above the options."""
    text = description if description is not None else _doc_description(doc or help)
    p = subparsers.add_parser(name, help=help, description=text, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=run)
    return p


def _doc_description(doc: str) -> str:
    doc = doc.strip()
    if doc.startswith("`mlsp ") and "`: " in doc:
        rest = doc.split("`: ", 1)[1]
        doc = rest[:1].upper() + rest[1:]
    return doc


TEXT_MODELS = "minilm, hf:PATH (a BERT, RoBERTa, DistilBERT or GPT-2 folder), ..."
WORD_MODELS = "word2vec (the shipped vectors) or a word2vec run folder"


def add_model(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("model", metavar="MODEL", help=help)


def add_text_input(p: argparse.ArgumentParser) -> None:
    """INPUT and --pair, as the attention commands take them."""
    p.add_argument("input", metavar="INPUT", help="text, or path of a text file (an existing path wins)")
    p.add_argument("--pair", metavar="TEXT_B", help="second sentence (segment B) for BERT-family models; text or a "
                                                     "text file")


def add_device(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps")


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document instead of text")


def to_jsonable(obj: Any) -> Any:
    """numpy scalars/arrays and Paths into plain JSON types; NaN and ±Infinity become None (null),
    so every document is strict JSON."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, Path):
        return str(obj)
    return obj


def json_text(obj: Any) -> str:
    """`obj` as one line of strict JSON (no NaN, no Infinity: null instead)."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False)


def print_json(obj: Any) -> None:
    """The one JSON writer of every `--json` output: strict JSON, one document per call."""
    sys.stdout.write(json_text(obj) + "\n")
    sys.stdout.flush()


def input_is_path(value: str) -> bool:
    """An INPUT is a file path when such a file exists (an existing path wins over text)."""
    try:
        return len(value) < 4096 and "\n" not in value and Path(value).expanduser().exists()
    except (OSError, ValueError):
        return False


def looks_like_missing_file(value: str) -> bool:
    """One word ending in a known input extension (notes.txt, a.wav) that names no existing file."""
    from engine.data.kinds import kind_from_extension

    return (bool(value) and not any(ch.isspace() for ch in value) and kind_from_extension(value) is not None
            and not input_is_path(value))


@dataclass(frozen=True)
class TextArgument:
    """An INPUT given as text: the text, and the file it was read from (None: typed on the command line)."""

    text: str
    path: Path | None


def check_text(value: str, what: str = "TEXT") -> str:
    """`value` itself, refused in one line when it holds bytes the terminal could not decode (Python
    keeps them as lone surrogates, which no tokenizer takes)."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        raise InputError(f"{what} holds bytes that are not valid text in this terminal's encoding (UTF-8 expected); "
                         "put the text in a UTF-8 file and give its path.")
    return value


def read_text_argument(value: str, what: str = "INPUT", model: str | None = None) -> TextArgument:
    """The text itself, or the contents of the text file it names (an existing file wins; a folder's
    name is taken as text). A lone word that looks like a file name (notes.txt) but names no file
    is refused, and so is a file of another kind; `model` names the model in that message."""
    from engine.data import detect_kind, read_text

    if input_is_path(value) and not Path(value).expanduser().is_dir():
        path = Path(value).expanduser()
        kind = detect_kind(path)
        if kind != "text":
            who = f"'{model}' reads text" if model else "this command reads text"
            raise InputError(f"{path} is an {kind} file, but {who}; give a text or a text file as {what}.")
        return TextArgument(read_text(path).text, path)
    if looks_like_missing_file(value):
        raise InputError(f"{what} {value} looks like a file name but no such file exists; check the path "
                         "(or put the text in a file).")
    return TextArgument(check_text(value, what), None)


def _media_argument(path: str, want: str, example: str):
    """A file argument of kind `want` ("audio", "image"): its path, refused by name when missing
    or of another kind."""
    from engine.data.kinds import detect_kind

    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"{p} does not exist; give the path of an {want} file.")      # audio, image: "an"
    kind = detect_kind(p)
    if kind != want:
        a = {"audio": "an audio", "image": "an image", "text": "a text"}
        raise InputError(f"{p.name} is {a.get(kind, 'a ' + kind)} file; give {a[want]} file ({example}).")
    return p


def read_audio_argument(path: str, rate: int | None = None):
    """An AUDIO argument: the file loaded as mono audio (resampled to `rate` when given)."""
    from engine.data.load import load_input

    return load_input(_media_argument(path, "audio", "WAV, FLAC, OGG, MP3, ..."), sample_rate=rate)


def read_image_argument(path: str):
    """An IMAGE argument: the file loaded as RGB pixels."""
    from engine.data.load import load_input

    return load_input(_media_argument(path, "image", "PNG, JPEG, BMP, TIFF, ..."))


def read_probe_input(value: str, ref, pair: str | None = None, what: str = "INPUT"):
    """INPUT as the probe input the model takes (engine.records.inputs): an audio or image file for
    audio or image models, a sentence to translate for translation models, else text (with --pair,
    a TextPair). The kinds come from the model's declaration, never from its name."""
    from engine.contract.capabilities import InputKind
    from engine.records.inputs import SourceTarget, TextPair, text_input

    kinds = ref.inputs
    if InputKind.TEXT not in kinds and InputKind.SOURCE_TARGET not in kinds:
        if pair is not None:
            raise InputError(f"--pair goes with text models; '{ref.text}' takes {', '.join(k.value for k in kinds)}.")
        if InputKind.AUDIO in kinds:
            return read_audio_argument(value)
        if InputKind.IMAGE in kinds:
            return read_image_argument(value)
        raise InputError(f"'{ref.text}' takes {', '.join(k.value for k in kinds)} input, which {what} cannot give.")
    text = read_text_argument(value, what, ref.text).text
    if InputKind.SOURCE_TARGET in kinds and InputKind.TEXT not in kinds:
        return SourceTarget(text, pair)
    if pair is not None:
        if InputKind.TEXT_PAIR not in kinds:
            raise InputError(f"'{ref.text}' reads one text, not a pair; leave out --pair.")
        return TextPair(text, read_text_argument(pair, "--pair", ref.text).text)
    return text_input(text)
