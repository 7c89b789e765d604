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
    meta = {"text": [t for _, t in lines], "line": [str(n) for n, _ in lines], "words": words}
    topics = topic_column(emb.vectors, meta["text"])
    if topics is not None:          # first: the projector colours by it (line numbers mean nothing)
        meta = {"topic": topics, **meta}
    return replace(emb, metadata=meta)


def topic_column(vectors, texts: list[str], seed: int = 0) -> list[str] | None:
    """Group the sentences by k-means on their normalised embeddings (k ≈ √(N/2), 2..8) and name
    each group by its most central sentence, shortened: "2 · stocks fell sharply…". None for < 4."""
    import numpy as np

    n = len(texts)
    if n < 4:
        return None
    x = np.asarray(vectors, np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    k = int(min(8, max(2, round((n / 2) ** 0.5))))
    rng = np.random.default_rng(seed)
    centres = x[rng.choice(n, k, replace=False)]
    for _ in range(30):
        assign = np.argmax(x @ centres.T, axis=1)
        new = np.stack([x[assign == c].mean(0) if (assign == c).any() else centres[c] for c in range(k)])
        new /= np.maximum(np.linalg.norm(new, axis=1, keepdims=True), 1e-12)
        if np.allclose(new, centres):
            break
        centres = new
    names = {}
    for c in range(k):
        members = np.flatnonzero(assign == c)
        if len(members):
            best = members[np.argmax(x[members] @ centres[c])]
            words = " ".join(texts[best].split()[:4])
            names[c] = f"{c + 1} · {words}…"
    return [names[int(c)] for c in assign]


register(SourceSpec(
    id="sentences", title="Sentences (lines of the input)", needs=Capability.EMBED,
    default_model="minilm", fetch=f"{__name__}:fetch", order=20,
    options=(SourceOption("max_lines", "at most", 20_000, 2, 1_000_000, " lines"),
             SourceOption("windows", "long lines whole (mean over windows)", 0, 0, 1)),
    description="One point per non-blank line of the current text input, embedded by a sentence model."))
