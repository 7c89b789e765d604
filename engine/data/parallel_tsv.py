"""A user's parallel corpus: a TSV file in the Tatoeba / Anki layout, one pair a line:

    english<TAB>french[<TAB>more columns, ignored (Tatoeba's attribution)]

Any size up to `MAX_TSV_BYTES`, UTF-8 (with or without BOM) or UTF-16 with BOM, LF or CRLF
(decoded by `engine.data.text`). Blank lines are ignored. A line without a tab or with an empty
side is skipped and its number recorded (`ParallelCorpus.skipped_lines` and `note`); the file is
refused (InputError naming it) when most lines are malformed, and when it is empty or binary.
Exact duplicate pairs are kept once. Splits: by a hash of the English sentence (90 / 5 / 5).
"""
from __future__ import annotations

import os
from pathlib import Path

from engine.data.parallel import (
    SPLITS,
    ParallelCorpus,
    ParallelPair,
    make_splits,
    stable_hash,
)
from engine.errors import InputError

MAX_TSV_BYTES = 1_000_000_000
FORMAT = "one 'english<TAB>french' pair a line (the Tatoeba / Anki layout)"
SHOWN_LINES = 10


def read_parallel_tsv(path: str | os.PathLike) -> ParallelCorpus:
    """The pairs of a TSV file in three splits; InputError names the file and the problem."""
    from engine.data.text import read_text

    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a TSV file with {FORMAT}, or builtin:en-fr.")
    if not p.exists():
        raise InputError(f"{p} does not exist; give a TSV file with {FORMAT}, or builtin:en-fr.")
    text = read_text(p, max_bytes=MAX_TSV_BYTES, binary_advice=f"a parallel corpus is a text file with {FORMAT}.").text
    pairs, bad, lines = parse_tsv(text)
    if not pairs or len(bad) > len(pairs):
        first = f" (the first at line {bad[0]})" if bad else ""
        raise InputError(f"{p}: {len(bad)} of {lines} lines are not an 'english<TAB>french' pair{first}; "
                         f"a parallel corpus has {FORMAT}.")
    unique = list(dict.fromkeys(pairs))
    splits = _nonempty(make_splits(unique))
    return ParallelCorpus(str(p), splits["train"], splits["valid"], splits["test"],
                          f"{len(unique)} pairs from {p.name}", skipped_lines=tuple(bad),
                          note=_note(bad, len(pairs) - len(unique)))


def parse_tsv(text: str) -> tuple[list[ParallelPair], list[int], int]:
    """(pairs, 1-based numbers of malformed lines, non-blank lines) of a decoded TSV text."""
    pairs: list[ParallelPair] = []
    bad: list[int] = []
    lines = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        lines += 1
        cols = line.split("\t")
        source, target = (cols[0].strip(), cols[1].strip()) if len(cols) >= 2 else ("", "")
        if source and target:
            pairs.append(ParallelPair(source, target))
        else:
            bad.append(number)
    return pairs, bad, lines


def _note(bad: list[int], duplicates: int) -> str:
    parts = []
    if bad:
        shown = ", ".join(str(n) for n in bad[:SHOWN_LINES]) + (", ..." if len(bad) > SHOWN_LINES else "")
        parts.append(f"skipped {len(bad)} malformed line(s) (no tab or an empty side): line {shown}")
    if duplicates:
        parts.append(f"dropped {duplicates} duplicate pair(s)")
    return "; ".join(parts)


def _nonempty(splits: dict[str, tuple[ParallelPair, ...]]) -> dict[str, tuple[ParallelPair, ...]]:
    """A small file may hash no sentence into valid or test: then the training sentences with the
    highest hashes move there (still deterministic), as long as training keeps one sentence."""
    out = {s: list(v) for s, v in splits.items()}
    for name in ("test", "valid"):
        sources = sorted({p.source for p in out["train"]}, key=stable_hash)
        if out[name] or len(sources) < 2:
            continue
        moved = sources[-1]
        out[name] = [p for p in out["train"] if p.source == moved]
        out["train"] = [p for p in out["train"] if p.source != moved]
    return {s: tuple(out[s]) for s in SPLITS}
