"""`mlsp embed MODEL INPUT...`: vectors in the TensorBoard projector's TSV format.

vectors.tsv: one row per item, tab-separated floats, no header. metadata.tsv: one row per item;
a header row only when there is more than one column (what projector.tensorflow.org expects).
Each non-blank line of a text file is one item (`--whole`: each file is one item). A word-vector
model (word2vec) with no INPUT exports its whole vocabulary, with columns word and count. An audio
model (logmel) takes audio files and makes each 10 ms frame one item (columns time, part,
loudness, source); an image model (patches) takes image files and makes each 16 × 16 patch one
item (columns brightness, row, column, source). `--pooled` makes each audio file one item (lstm-attn:
l = Σ a_t h_t; a model without its own pooling: mean and std of its frames over the word).
`--data builtin:digits` (an image model, no INPUT): the class-token vector of each held-out image
(`--limit N` of them, the classes in turn), or with `--patches` each of its patch vectors, with
columns digit (class for other image sets: the projector colours by it), image (and row, column)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import numpy as np

from engine.cli.common import (
    add_command,
    add_device,
    add_json,
    add_model,
    print_json,
    read_audio_argument,
    read_image_argument,
    read_text_argument,
)
from engine.contract.capabilities import Capability, InputKind
from engine.contract.loaded import cannot_message
from engine.data.projector_tsv import write_metadata_tsv, write_vectors_tsv
from engine.errors import ConfigError, InputError, ModelError
from engine.records.embeddings import Embeddings

MAX_PRINTED = 5_000               # numbers printed to a terminal without --out (a screenful or so)


def register(subparsers) -> None:
    p = add_command(subparsers, "embed", "embed texts or words; write TensorBoard-projector TSV", __doc__, run,
                    description="Embed each INPUT (a text, or a text file: one item per non-blank line) with MODEL "
                    "and write the vectors as TensorBoard-projector TSV. A word2vec model with no INPUT exports its "
                    "vocabulary; with INPUTs, the vectors of those words.")
    add_model(p, "registry id (minilm, word2vec, ...), hf:PATH or a run folder")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="text, or path of a text file (an existing path wins)")
    p.add_argument("--out", metavar="vectors.tsv", help="write the vectors here ('-': print them; without --out "
                   f"they are printed only when there are at most {MAX_PRINTED:,} numbers, else summarised)")
    p.add_argument("--metadata", metavar="metadata.tsv", help="write the item labels (and columns) here")
    p.add_argument("--whole", action="store_true", help="embed each file (or text) as one item, not line by line")
    p.add_argument("--windows", action="store_true",
                   help="embed a text longer than the model's token limit whole, as the mean over windows of that "
                        "many tokens (default: its first tokens, with a note)")
    p.add_argument("--pooled", action="store_true", help="audio models: one vector per file (the utterance) instead "
                   "of one per frame")
    p.add_argument("--data", metavar="DATA", help="image models: embed a labelled image set's held-out images "
                   "instead of INPUTs (builtin:digits, builtin:shapes or a folder of class subfolders)")
    p.add_argument("--limit", type=int, metavar="N", help="--data: the first N images, the classes in turn "
                   "(default 200; 0: all)")
    p.add_argument("--patches", action="store_true", help="--data: one vector per patch token (default: the class "
                   "token of each image)")
    p.add_argument("--batch-size", type=int, default=32, metavar="N", help="texts per forward pass (default 32)")
    add_device(p)
    add_json(p)


def collect_items(inputs: list[str], whole: bool, model_ref: str) -> tuple[list[str], dict[str, list[str]]]:
    """(items, metadata columns) from the INPUT arguments; a non-text file is refused by name."""
    from engine.data.text import numbered_items

    items: list[str] = []
    sources: list[str] = []
    lines: list[str] = []
    any_file = False
    for value in inputs:
        arg = read_text_argument(value, "INPUT", model_ref)
        source = arg.path.name if arg.path is not None else "argument"
        any_file = any_file or arg.path is not None
        found = numbered_items(arg.text, whole)
        if not found:
            raise InputError(f"{'the file ' + str(value) if arg.path is not None else 'an INPUT'} holds no text "
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


def compute(args: argparse.Namespace) -> Embeddings:
    """Load the model and embed the inputs (or the vocabulary)."""
    from engine.probes.embed import embed, embed_vocabulary, embed_words
    from engine.zoo import load_model, resolve

    if args.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {args.batch_size}.")
    ref = resolve(args.model)
    if not ref.can(Capability.EMBED) and not ref.can(Capability.WORD_VECTORS):
        raise ModelError(cannot_message(args.model, Capability.EMBED))
    if getattr(args, "data", None) or getattr(args, "limit", None) is not None or getattr(args, "patches", False):
        return embed_data(args, ref)
    if InputKind.TEXT not in ref.inputs:
        return embed_media_files(args, ref)
    items, columns = collect_items(args.inputs, args.whole, args.model) if args.inputs else ([], {})
    model = load_model(ref, args.device)
    if ref.can(Capability.WORD_VECTORS):
        return embed_vocabulary(model) if not items else embed_words(model, items)
    if not items:
        raise InputError(f"give at least one INPUT (a text or a text file) to embed with '{args.model}'.")
    return replace(embed(model, items, batch_size=args.batch_size, windows=args.windows), metadata=columns)


def embed_media_files(args: argparse.Namespace, ref) -> Embeddings:
    """Every audio frame (`logmel`) or image patch (`patches`) of every INPUT file, one item each,
    the files one after another; with several files each label starts with its file's name."""
    from engine.probes.embed import embed_media
    from engine.zoo import load_model

    audio = InputKind.AUDIO in ref.inputs
    if not args.inputs:
        raise InputError(f"give at least one {'audio' if audio else 'image'} file to embed with '{args.model}'.")
    read = read_audio_argument if audio else read_image_argument
    inputs = [read(value) for value in args.inputs]       # every file checked before the work
    model = load_model(ref, args.device)
    if getattr(args, "pooled", False) and audio:
        return embed_utterances(model, inputs)
    parts = [embed_media(model, item) for item in inputs]
    named = len(parts) > 1
    labels = [f"{item.name} @ {label}" if named else label for item, p in zip(inputs, parts) for label in p.labels]
    columns = {name: [v for p in parts for v in p.metadata[name]] for name in parts[0].metadata}
    return Embeddings(labels=labels, vectors=np.concatenate([p.vectors for p in parts]), kind=parts[0].kind,
                      model=parts[0].model, metadata=columns)


def embed_data(args: argparse.Namespace, ref) -> Embeddings:
    """`--data`: the held-out images of a labelled image set, labelled by class (engine.probes.labelled_images)."""
    from engine.data.image_sets import is_image_data
    from engine.probes.labelled_images import DEFAULT_LIMIT, embed_image_set
    from engine.zoo import load_model

    if not args.data:
        raise ConfigError("--limit and --patches go with --data (e.g. --data builtin:digits).")
    if args.inputs:
        raise ConfigError("give either INPUTs or --data, not both.")
    if InputKind.IMAGE not in ref.inputs:
        raise ModelError(f"--data embeds images, and '{args.model}' does not take images; choose a vision model "
                         "(vit, vit-mae, rotnet, simclr, cluster).")
    if not is_image_data(args.data):
        raise InputError(f"--data must be builtin:digits, builtin:shapes or a folder of images, not '{args.data}'.")
    if args.limit is not None and args.limit < 0:
        raise ConfigError(f"--limit must be 0 (all) or more, got {args.limit}.")
    limit = DEFAULT_LIMIT if args.limit is None else (args.limit or None)
    return embed_image_set(load_model(ref, args.device), args.data, "test", limit, patches=args.patches)


def embed_utterances(model, inputs: list) -> Embeddings:
    """One vector per audio file (engine.probes.utterance), labelled by the file's name."""
    from engine.probes.utterance import utterance_embedding

    parts = [utterance_embedding(model, item) for item in inputs]
    columns = {name: [v for p in parts for v in p.metadata[name]] for name in parts[0].metadata}
    return Embeddings(labels=[lab for p in parts for lab in p.labels], vectors=np.concatenate([p.vectors for p in parts]),
                      kind="utterance", model=parts[0].model, metadata=columns)


def write_vectors(vectors: np.ndarray, out: TextIO) -> None:
    """Tab-separated floats to a stream, the same rows as `write_vectors_tsv` writes to a file."""
    for row in np.asarray(vectors, dtype=np.float32).tolist():
        out.write("\t".join(f"{x:.9g}" for x in row) + "\n")


def _target(path: str, example: str) -> Path:
    """The output path, its folder created (TSV files are then written atomically beside it)."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise ConfigError(f"'{p}' is a folder; give a file name, e.g. {p / example}.")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the folder of {p}: {exc.strerror or exc}; choose another path.") from None
    return p


def run(args: argparse.Namespace) -> int:
    to_stdout = args.out == "-"
    targets = {key: str(_target(path, f"{key}.tsv")) for key, path in (("vectors", args.out), ("metadata", args.metadata))
               if path and not (key == "vectors" and to_stdout)}
    emb = compute(args)                              # after the output paths are known to be usable
    if emb.note and not args.json:
        print(f"note: {emb.note}", file=sys.stderr)
    written = {}
    if "vectors" in targets:
        written["vectors"] = targets["vectors"]
        write_vectors_tsv(written["vectors"], emb.vectors)
    if "metadata" in targets:
        written["metadata"] = targets["metadata"]
        write_metadata_tsv(written["metadata"], emb.labels, emb.metadata)
    if args.json:
        doc = {"model": emb.model, "kind": emb.kind, "count": len(emb.labels), "dim": emb.dim, **written,
               "truncated": list(emb.truncated), "note": emb.note}
        if not args.out or to_stdout:
            doc.update(items=emb.labels, metadata=emb.metadata, vectors=emb.vectors)
        print_json(doc)
    elif "vectors" in written:
        extra = f" and labels to {written['metadata']}" if "metadata" in written else ""
        print(f"wrote {len(emb.labels)} vectors of {emb.dim} dimensions to {written['vectors']}{extra}")
    elif to_stdout or emb.vectors.size <= MAX_PRINTED:
        write_vectors(emb.vectors, sys.stdout)
    else:
        print(summary(emb))
    return 0


def summary(emb: Embeddings) -> str:
    """What is printed instead of more numbers than a terminal can show."""
    first = ", ".join(emb.labels[:3]) + (", …" if len(emb.labels) > 3 else "")
    return (f"{len(emb.labels):,} {emb.kind} vectors of {emb.dim} dimensions from {emb.model} ({emb.vectors.size:,} numbers: "
            f"{first}).\nNot printed: write them with --out vectors.tsv (and --metadata metadata.tsv), "
            "or print them all with --out -.")
