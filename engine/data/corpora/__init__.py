"""Built-in text corpora, generated offline and deterministically by the project's own grammar,
and the one way to name text data: `resolve_data("builtin:NAME" | PATH) -> TextCorpus`.

    list_builtin() -> list[BuiltinCorpus]      what `builtin:` names exist (kind "text" or "parallel")
    resolve_data(spec) -> TextCorpus           a built-in corpus, a .txt file or a folder of them

The parallel corpora (`builtin:en-fr`, English-French pairs for translation models) are listed
here too; translation tasks load them with `engine.data.parallel.resolve_parallel`. Given to
`resolve_data`, a parallel corpus reads as text: the English and French sentences of its
training split, one a line.

Generating the 1.2-million-word corpus takes a few seconds, so the text is cached in the user
data folder (`corpora/`), keyed by a hash of the grammar's source files (any change to the
templates or the lexicon makes a new cache); a damaged cache file is regenerated.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.data.corpora.text_corpus import TextCorpus, read_text_corpus, tokenize
from engine.errors import InputError

__all__ = ["BuiltinCorpus", "TextCorpus", "grammar_hash", "list_builtin", "resolve_data", "tokenize"]

GRAMMAR_FILES = ("structures.py", "lexicon.py", "cast.py", "templates_people.py", "templates_world.py", "english.py",
                 "grammar.py")


@dataclass(frozen=True)
class BuiltinCorpus:
    """One `builtin:NAME` corpus: English from the grammar, `words` words from `seed`; or, with kind
    "parallel", sentence pairs for translation (`engine.data.parallel`, `words` is 0)."""

    name: str
    words: int
    seed: int
    description: str
    kind: str = "text"                 # "text" | "parallel"


BUILTIN = {c.name: c for c in (
    BuiltinCorpus("grammar", 1_200_000, 0,
                  "1.2 million words of English from the built-in grammar: royals, families, professions, "
                  "countries and capitals, animals, foods, colours, numbers, seasons, verb tenses and comparisons."),
    BuiltinCorpus("grammar-small", 60_000, 1,
                  "60,000 words from the same grammar (another seed): quick demos and tests."),
)}


def list_builtin() -> list[BuiltinCorpus]:
    from engine.data.parallel import BUILTIN_PARALLEL

    parallel = [BuiltinCorpus(c.name, 0, c.seed, c.description, "parallel") for c in BUILTIN_PARALLEL.values()]
    return list(BUILTIN.values()) + parallel


def resolve_data(spec: str | os.PathLike) -> TextCorpus:
    """`builtin:NAME` or the path of a .txt file or folder; InputError says what exists instead."""
    text = str(spec).strip()
    if text.startswith("builtin:"):
        name = text[len("builtin:"):]
        if any(c.name == name and c.kind == "parallel" for c in list_builtin()):
            return _parallel_as_text(name)
        if name not in BUILTIN:
            known = ", ".join(f"builtin:{c.name}" for c in list_builtin())
            raise InputError(f"there is no built-in corpus '{text}'; choose one of {known}, or give a .txt file or folder.")
        return _builtin(name)
    return read_text_corpus(text)


@lru_cache(maxsize=4)
def _builtin(name: str) -> TextCorpus:
    c = BUILTIN[name]
    lines = _read_cache(c) or _write_cache(c, _generate(c))
    return TextCorpus(name=f"builtin:{name}", lines=tuple(lines), description=c.description)


def _parallel_as_text(name: str) -> TextCorpus:
    """Both sides of a parallel corpus's training pairs as lines of text."""
    from engine.data.parallel import builtin_parallel

    corpus = builtin_parallel(name)
    lines = tuple(line for p in corpus.train for line in (p.source, p.target))
    return TextCorpus(name=corpus.name, lines=lines, description=corpus.description)


def _generate(c: BuiltinCorpus) -> list[str]:
    from engine.data.corpora.grammar import english_lines

    return english_lines(c.words, c.seed)


@lru_cache(maxsize=1)
def grammar_hash() -> str:
    """12 hex digits of the SHA-1 of the grammar's source files (the cache key of generated text)."""
    import hashlib

    h = hashlib.sha1()
    for name in GRAMMAR_FILES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:12]


def _cache_path(c: BuiltinCorpus) -> Path:
    from engine.paths import user_data_dir

    return user_data_dir() / "corpora" / f"{c.name}-{grammar_hash()}-s{c.seed}-w{c.words}.txt"


def _read_cache(c: BuiltinCorpus) -> list[str] | None:
    path = _cache_path(c)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if lines[-1:] != ["#end"] or sum(line.count(" ") + 1 for line in lines[:-1]) < c.words:
        return None                                      # torn or foreign file: regenerate
    return lines[:-1]


def _write_cache(c: BuiltinCorpus, lines: list[str]) -> list[str]:
    """Write atomically (temp file + rename); a read-only data folder just means no cache."""
    path = _cache_path(c)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(lines) + "\n#end", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return lines
