"""Text for the built-in language models: the corpus split into training and held-out lines, and
the held-out lines that never occur in training (so a test sentence is really unseen)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import InputError


@dataclass(frozen=True)
class SplitText:
    """Training lines and held-out test lines (every `every`-th line)."""

    train: tuple[str, ...]
    test: tuple[str, ...]

    def unseen_test(self) -> list[str]:
        """Held-out lines whose text never occurs among the training lines (order kept, no repeats)."""
        seen = set(self.train)
        return list(dict.fromkeys(line for line in self.test if line not in seen))


def split_lines(data: str, every: int) -> SplitText:
    """`data` (builtin:NAME, a .txt file or a folder) -> lines, every `every`-th one held out."""
    from engine.data.corpora import resolve_data

    if every < 2:
        raise InputError(f"test_every must be 2 or more, not {every}.")
    lines = [line.strip() for line in resolve_data(data).lines if line.strip()]
    if len(lines) < 4:
        raise InputError(f"{data} has only {len(lines)} non-empty lines; a language model needs more text.")
    test = tuple(line for i, line in enumerate(lines) if i % every == every - 1)
    train = tuple(line for i, line in enumerate(lines) if i % every != every - 1)
    return SplitText(train=train, test=test or train[-1:])
