"""Sentence embeddings of the current text input: one point per non-blank line."""
from __future__ import annotations

from engine.contract.capabilities import Capability
from engine.errors import InputError
from engine.projection.sources import SourceOption, SourceRequest, SourceSpec, register


def lines_of(text: str | None, limit: int) -> list[tuple[int, str]]:
    """(line number, stripped text) of the non-blank lines, at most `limit`."""
    out = [(i + 1, line.strip()) for i, line in enumerate((text or "").splitlines()) if line.strip()]
    return out[:limit]


def fetch(state, model, request: SourceRequest):
    from dataclasses import replace

    from engine.probes.embed import embed

    limit = int(request.options.get("max_lines", 20_000))
    lines = lines_of(request.text, limit)
    if not lines:
        raise InputError("the current input has no text lines to embed; open or type a text (one sentence per line).")
    state.progress(0.1, f"embedding {len(lines)} lines with {model.name}")
    emb = embed(model, [t for _, t in lines], windows=bool(request.options.get("windows", 0)))
    words = [str(len(t.split())) for _, t in lines]
    return replace(emb, metadata={"text": [t for _, t in lines], "line": [str(n) for n, _ in lines],
                                  "words": words})


register(SourceSpec(
    id="sentences", title="Sentences (lines of the input)", needs=Capability.EMBED,
    default_model="minilm", fetch=f"{__name__}:fetch", order=20,
    options=(SourceOption("max_lines", "at most", 20_000, 2, 1_000_000, " lines"),
             SourceOption("windows", "long lines whole (mean over windows)", 0, 0, 1)),
    description="One point per non-blank line of the current text input, embedded by a sentence model."))
