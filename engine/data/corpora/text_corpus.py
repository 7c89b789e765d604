"""A text corpus: lines of text from a built-in generator, a .txt file or a folder of them.

Tokenisation is deliberately simple: lowercase, words are runs of letters and digits (an
apostrophe inside a word keeps it whole: "don't"). A line is the unit a context window never
crosses (a sentence of the built-in grammar, a line or paragraph of a user's file).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
TEXT_SUFFIXES = (".txt", ".text", ".md")


def tokenize(text: str) -> list[str]:
    """Lowercase words of a text: "The King's crown." -> ["the", "king's", "crown"]."""
    return WORD_RE.findall(text.lower())


@dataclass(frozen=True)
class TextCorpus:
    """Lines of text and where they came from (`name` is "builtin:NAME" or the path given)."""

    name: str
    lines: tuple[str, ...]
    files: tuple[str, ...] = ()
    description: str = ""

    def sentences(self) -> Iterator[list[str]]:
        """Tokenised non-empty lines."""
        for line in self.lines:
            words = tokenize(line)
            if words:
                yield words

    def count_words(self) -> int:
        return sum(len(tokenize(line)) for line in self.lines)


def read_text_corpus(path: str | os.PathLike) -> TextCorpus:
    """A .txt file, or every text file under a folder (sorted, recursive); InputError names the problem."""
    from engine.data.text import read_text

    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"{p} does not exist; give a .txt file, a folder of .txt files or builtin:NAME.")
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        if not files:
            raise InputError(f"the folder {p} holds no .txt files; put your text in .txt files or give one file.")
    else:
        files = [p]
    lines: list[str] = []
    advice = "a text corpus is a .txt file, a folder of .txt files or builtin:NAME."
    for f in files:
        lines.extend(line for line in read_text(f, binary_advice=advice).text.split("\n") if line.strip())
    corpus = TextCorpus(name=str(p), lines=tuple(lines), files=tuple(str(f) for f in files),
                        description=f"{len(files)} file(s) from {p}")
    if not any(True for _ in corpus.sentences()):
        raise InputError(f"{p} holds no words (letters or digits); give a text with words in it.")
    return corpus
