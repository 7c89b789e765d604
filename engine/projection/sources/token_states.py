"""Token embeddings after one transformer layer: one point per token of every input line."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.errors import ConfigError, InputError
from engine.projection.sources import SourceOption, SourceRequest, SourceSpec, register
from engine.projection.sources.sentences import lines_of
from engine.records.embeddings import Embeddings


def fetch(state, model, request: SourceRequest) -> Embeddings:
    layer = int(request.options.get("layer", 0))
    lines = lines_of(request.text, int(request.options.get("max_lines", 500)))
    if not lines:
        raise InputError("the current input has no text lines; open or type a text to see its token vectors.")
    rows, labels, meta = [], [], {"token": [], "line": [], "position": [], "layer": []}
    for k, (number, text) in enumerate(lines):
        state.progress(k / len(lines), f"hidden states of line {number}")
        ts = model.hidden_states(text)
        if not 0 <= layer <= ts.layers:
            raise ConfigError(f"layer {layer} does not exist: '{model.name}' has layers 0 (embeddings) to {ts.layers}.")
        rows.append(ts.states[layer])
        labels += ts.tokens
        meta["token"] += ts.tokens
        meta["line"] += [str(number)] * len(ts.tokens)
        meta["position"] += [str(i) for i in range(len(ts.tokens))]
        meta["layer"] += [str(layer)] * len(ts.tokens)
    return Embeddings(labels=labels, vectors=np.concatenate(rows).astype(np.float32), kind="token",
                      model=model.name, metadata=meta)


register(SourceSpec(
    id="token-states", title="Tokens (one layer)", needs=Capability.TOKEN_STATES,
    default_model="minilm", fetch=f"{__name__}:fetch", order=30,
    options=(SourceOption("layer", "layer", 6, 0, 96), SourceOption("max_lines", "at most", 500, 1, 100_000, " lines")),
    description="Every token of every input line after the chosen layer (0 = the embedding layer)."))
