"""What a model can do and what it takes and gives, declared by its registry entry (LIT-style
specs). Plain enums: reading them imports no torch, so the window and the CLI can offer or explain
a view before anything loads.

    Capability    what a model can be asked for (a probe or command per capability)
    InputKind     the kinds of input it takes; the values are the `kind` of the input records in
                  `engine.records.inputs` (a TextInput's kind is "text", ...)
    OutputKind    the kinds of result it gives
"""
from __future__ import annotations

from enum import Enum


class Capability(str, Enum):
    """One thing a model can be asked for. The value is the JSON name (`mlsp models --json`)."""

    EMBED = "embed"                    # a vector per input (sentence, audio frame, image patch, utterance)
    TOKEN_STATES = "token-states"      # every token's vector after every layer
    ATTENTION = "attention"            # attention weights of any attention module
    WORD_VECTORS = "word-vectors"      # a vocabulary of word vectors: neighbours, analogies, similarity
    FILL_MASK = "fill-mask"            # predict masked tokens
    GENERATE = "generate"              # continue a prompt token by token
    TRANSLATE = "translate"            # source text -> target text
    RECONSTRUCT = "reconstruct"        # fill in masked image patches / audio frames
    CLASSIFY = "classify"              # a label with probabilities
    TRAIN = "train"                    # `mlsp train` can train it

    def __str__(self) -> str:
        return self.value

    @property
    def verb(self) -> str:
        """How a sentence says it: "this model cannot <verb>"."""
        return _VERBS[self]


_VERBS = {
    Capability.EMBED: "embed inputs", Capability.TOKEN_STATES: "give token states",
    Capability.ATTENTION: "give attention weights", Capability.WORD_VECTORS: "give word vectors",
    Capability.FILL_MASK: "fill in masked words", Capability.GENERATE: "generate text",
    Capability.TRANSLATE: "translate", Capability.RECONSTRUCT: "reconstruct masked regions",
    Capability.CLASSIFY: "classify", Capability.TRAIN: "be trained",
}


class InputKind(str, Enum):
    """A kind of input; equal to the `kind` of the matching record in `engine.records.inputs`."""

    TEXT = "text"
    TEXT_PAIR = "text-pair"            # two sentences (BERT's A and B)
    SOURCE_TARGET = "source-target"    # a source sentence and (optionally) its target, for translation
    AUDIO = "audio"
    IMAGE = "image"
    SIGNAL = "signal"                  # a plain 1-D signal (toy-mlp)

    def __str__(self) -> str:
        return self.value


class OutputKind(str, Enum):
    """A kind of result."""

    VECTORS = "vectors"
    ATTENTION = "attention"
    TEXT = "text"
    TOKEN_PROBS = "token-probabilities"
    LABELS = "labels"
    IMAGE = "image"
    SIGNAL = "signal"

    def __str__(self) -> str:
        return self.value


def modality_of(inputs: tuple[InputKind, ...]) -> str:
    """"text", "audio", "image" or "signal": the family of a model's first input kind."""
    if not inputs:
        return "none"
    first = inputs[0]
    return "text" if first in (InputKind.TEXT, InputKind.TEXT_PAIR, InputKind.SOURCE_TARGET) else first.value
