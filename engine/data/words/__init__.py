"""Spoken-word corpora: 1-s clips of single words at 16 kHz in train / valid / test splits by speaker.

    resolve_words(spec, need_labels=False) -> WordCorpus   "builtin:words", "builtin:words-small" or a folder
    require_labels(corpus)                                 InputError unless there are two words or more
    list_builtin_words() -> list[BuiltinWords]             what `builtin:` word corpora exist
    corpus.train[i] -> SpokenWord                          samples (16000,) float32, label, speaker, split, name
    corpus.train.waveforms(index) -> (m, 16000) float32    a batch; .label_ids (n,), .speakers, .names
    LABELS                                                 the 20 words of builtin:words
    HELD_OUT_VOICES                                        voices in no split (engine.data.words.voices)

`builtin:words` is rendered once from espeak-ng, flite and festival voices into assets/words/
(`python -m engine.data.words.render`) and augmented at load time (engine/data/words/augment.py); a
folder follows Google's Speech Commands layout (engine/data/words/folder.py). Every clip is exactly
one second: a shorter recording is padded with zeros, a longer one cut to its loudest second.
"""
from __future__ import annotations

import os

from engine.data.words.builtin import BUILTIN, BuiltinWords, builtin_words
from engine.data.words.corpus import CLIP_SAMPLES, SAMPLE_RATE, WordCorpus, WordSplit
from engine.data.words.folder import read_word_folder
from engine.data.words.voices import HELD_OUT_VOICES, LABELS
from engine.errors import InputError
from engine.records.spoken_words import SpokenWord

__all__ = ["CLIP_SAMPLES", "HELD_OUT_VOICES", "LABELS", "SAMPLE_RATE", "BuiltinWords", "SpokenWord", "WordCorpus",
           "WordSplit", "list_builtin_words", "require_labels", "resolve_words"]


def list_builtin_words() -> list[BuiltinWords]:
    return list(BUILTIN.values())


def resolve_words(spec: str | os.PathLike, need_labels: bool = False) -> WordCorpus:
    """`builtin:NAME` or a folder (Speech Commands layout, or unlabelled audio files).

    With `need_labels` (training a classifier) an unlabelled folder or one with a single word is
    refused with an InputError that says what to add."""
    text = str(spec).strip()
    if text.startswith("builtin:"):
        name = text[len("builtin:"):]
        if name not in BUILTIN:
            known = ", ".join(f"builtin:{n}" for n in BUILTIN)
            raise InputError(f"there is no built-in word corpus '{text}'; choose one of {known}, or give a folder "
                             "with one subfolder per word.")
        corpus = builtin_words(name)
    else:
        corpus = read_word_folder(text)
    if need_labels:
        require_labels(corpus)
    return corpus


def require_labels(corpus: WordCorpus) -> None:
    """InputError unless `corpus` has at least two words to tell apart."""
    if not corpus.labels:
        raise InputError(f"{corpus.name} holds audio files but no word subfolders, so it has no labels; a classifier "
                         "needs one subfolder per word (yes/, no/, ...), or use it for self-supervised pre-training.")
    if len(corpus.labels) < 2:
        raise InputError(f"{corpus.name} holds only one word ('{corpus.labels[0]}'); a classifier needs at least two: "
                         "add a subfolder of recordings for each other word.")
