"""The Masked prediction view's record: the top-k predictions at every mask, and the attention of
the first masked position in every layer and head (what the mask "looks at" to guess the word)."""
from __future__ import annotations

import numpy as np

from engine.records.language_model import MaskedView


def masked_view(model, text: str, positions=(), top_k: int = 8) -> MaskedView:
    from engine.errors import MlspError
    from engine.probes.attention import attention
    from engine.probes.language_model import fill_mask
    from engine.records.inputs import as_probe_input

    fill = fill_mask(model, text, top_k, positions)
    tok = model.tokenizer
    masked_text = tok.convert_tokens_to_string([t for t in fill.tokens if t not in (tok.cls_token, tok.sep_token)])
    try:
        maps = attention(model, as_probe_input(masked_text))
    except MlspError as exc:
        return MaskedView(fill, None, (), f"no attention: {exc}")
    stack = maps.stacks[0]
    if len(stack.tokens_q) != len(fill.tokens):
        return MaskedView(fill, None, (), "the attention pass tokenised the masked text differently; no attention shown.")
    q = fill.masked[0]
    rows = stack.weights[:, :, q, :].reshape(-1, stack.weights.shape[-1])
    labels = tuple(f"L{layer} H{head}" for layer in range(stack.layers) for head in range(stack.heads))
    return MaskedView(fill, rows.astype(np.float32), labels)
