"""`mlsp embed MODEL INPUT...`: vectors in the TensorBoard projector's TSV format.

vectors.tsv: one row per item, tab-separated floats, no header. metadata.tsv: one row per item;
a header row only when there is more than one column (what projector.tensorflow.org expects).
Each non-blank line of a text file is one item (`--whole`: each file is one item). A word-vector
model (word2vec) with no INPUT exports its whole vocabulary, with columns word and count."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import numpy as np

from engine.cli.common import add_device, add_json, input_is_path, print_json
from engine.data.projector_tsv import write_metadata_tsv, write_vectors_tsv
from engine.errors import ConfigError, InputError, ModelError
from engine.records.embeddings import Embeddings


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "embed", help="embed texts or words; write TensorBoard-projector TSV",
        description="Embed each INPUT (a text, or a text file: one item per non-blank line) with MODEL and write "
                    "the vectors as TensorBoard-projector TSV. A word2vec model with no INPUT exports its vocabulary.")
    p.add_argument("model", metavar="MODEL", help="registry id (minilm, word2vec, ...), hf:PATH or a run folder")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="text, or path of a text file (an existing path wins)")
    p.add_argument("--out", metavar="vectors.tsv", help="write the vectors here (default: print them)")
    p.add_argument("--metadata", metavar="metadata.tsv", help="write the item labels (and columns) here")
    p.add_argument("--whole", action="store_true", help="embed each file (or text) as one item, not line by line")
    p.add_argument("--batch-size", type=int, default=32, help="texts per forward pass (default 32)")
    add_device(p)
    add_json(p)
    p.set_defaults(func=run)


def collect_items(inputs: list[str], whole: bool, model_ref: str) -> tuple[list[str], dict[str, list[str]]]:
    """(items, metadata columns) from the INPUT arguments; a non-text file is refused by name."""
    from engine.data import detect_kind, read_text
    from engine.data.text import numbered_items

    items: list[str] = []
    sources: list[str] = []
    lines: list[str] = []
    any_file = False
    for value in inputs:
        if input_is_path(value):
            path = Path(value).expanduser()
            kind = detect_kind(path)
            if kind != "text":
                raise InputError(f"{path} is an {kind} file, but '{model_ref}' embeds text; "
                                 "give a text or a text file.")
            text, source, any_file = read_text(path).text, path.name, True
        elif _looks_like_missing_file(value):
            raise InputError(f"{value} looks like a file name but no such file exists; check the path "
                             "(or put the text in a file).")
        else:
            text, source = value, "argument"
        found = numbered_items(text, whole)
        if not found:
            raise InputError(f"{'the file ' + str(value) if source != 'argument' else 'an INPUT'} holds no text "
                             "to embed; give a non-empty text.")
        items += [item for _, item in found]
        sources += [source] * len(found)
        lines += [str(n) for n, _ in found]
    if not any_file:
        return items, {"text": items}
    columns = {"text": items, "source": sources}
    if not whole:
        columns["line"] = lines
    return items, columns


def _looks_like_missing_file(value: str) -> bool:
    """One word ending in a known input extension (notes.txt, a.wav) that names no existing file."""
    from engine.data.kinds import kind_from_extension

    return bool(value) and not any(ch.isspace() for ch in value) and kind_from_extension(value) is not None


def compute(args: argparse.Namespace) -> Embeddings:
    """Load the model and embed the inputs (or the vocabulary)."""
    from engine.probes.embed import embed, embed_vocabulary, embed_words
    from engine.zoo import load_model, resolve

    if args.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {args.batch_size}.")
    ref = resolve(args.model)
    if ref.spec.modality != "text":
        raise ModelError(f"'{args.model}' is a {ref.spec.modality} model; `mlsp embed` embeds text with text "
                         "models (minilm, word2vec, hf:PATH).")
    items, columns = collect_items(args.inputs, args.whole, args.model) if args.inputs else ([], {})
    _quiet_transformers()
    model = load_model(ref, args.device)
    if "word-vectors" in model.provides and "sentence-embedding" not in model.provides:
        return embed_vocabulary(model) if not items else embed_words(model, items)
    if not items:
        raise InputError(f"give at least one INPUT (a text or a text file) to embed with '{args.model}'.")
    return replace(embed(model, items, batch_size=args.batch_size), metadata=columns)


def _quiet_transformers() -> None:
    """No download/loading progress bars on the terminal of a CLI command."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def write_vectors(vectors: np.ndarray, out: TextIO) -> None:
    """Tab-separated floats to a stream, the same rows as `write_vectors_tsv` writes to a file."""
    for row in np.asarray(vectors, dtype=np.float32).tolist():
        out.write("\t".join(f"{x:.9g}" for x in row) + "\n")


def _target(path: str) -> Path:
    """The output path, its folder created (TSV files are then written atomically beside it)."""
    p = Path(path).expanduser()
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the folder of {p}: {exc.strerror or exc}; choose another path.") from None
    return p


def run(args: argparse.Namespace) -> int:
    emb = compute(args)
    written = {}
    if args.out:
        written["vectors"] = str(_target(args.out))
        write_vectors_tsv(written["vectors"], emb.vectors)
    if args.metadata:
        written["metadata"] = str(_target(args.metadata))
        write_metadata_tsv(written["metadata"], emb.labels, emb.metadata)
    if args.json:
        doc = {"model": emb.model, "kind": emb.kind, "count": len(emb.labels), "dim": emb.dim, **written}
        if not args.out:
            doc.update(items=emb.labels, metadata=emb.metadata, vectors=emb.vectors)
        print_json(doc)
    elif args.out:
        extra = f" and labels to {written['metadata']}" if "metadata" in written else ""
        print(f"wrote {len(emb.labels)} vectors of {emb.dim} dimensions to {written['vectors']}{extra}")
    else:
        write_vectors(emb.vectors, sys.stdout)
    return 0
