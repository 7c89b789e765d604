"""Lesson records: one lecture topic as a guided tour (what `engine.lessons` reads from a TOML file
in seeds/ and the Lessons panel and `mlsp lesson` use)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LessonInput:
    """What the lesson puts in front of the models: one of text, a sentence to translate, an audio
    or image file (a path relative to the project, or a built-in sample), or a recording to make."""

    kind: str                       # "text" | "source-target" | "audio" | "image" | "record"
    value: str                      # the text, the sentence, the file, or the prompt for recording
    name: str = ""


@dataclass(frozen=True)
class LessonTraining:
    """A training run the lesson starts in the background (e.g. to watch word2vec's clusters form)."""

    model: str
    data: str | None = None
    steps: int | None = None
    settings: dict = field(default_factory=dict)      # --set key=value


@dataclass(frozen=True)
class LessonStep:
    """One "try this" item: what to do or look at, and the view states one click sets."""

    text: str
    states: dict = field(default_factory=dict)        # view id -> state dict (View.restore_state)
    views: tuple[str, ...] = ()                        # views to open (and focus the first)
    model: str | None = None
    input: LessonInput | None = None


@dataclass(frozen=True)
class Lesson:
    path: str
    order: int
    title: str
    topic: str
    idea: str                                         # paragraphs; $...$ marks inline math
    equations: tuple[str, ...]                        # LaTeX-subset formulas (engine.lessons.mathtext)
    model: str | None                                 # the preset's model (registry id, hf:PATH or a run)
    input: LessonInput | None
    views: tuple[str, ...]                            # opened in order; the first is focused
    states: dict                                      # view id -> state dict
    steps: tuple[LessonStep, ...]
    question: str
    answer: str
    training: LessonTraining | None = None
    checkpoint: str | None = None                     # "latest" or a step, for run folders

    @property
    def id(self) -> str:
        from pathlib import Path

        return Path(self.path).stem
