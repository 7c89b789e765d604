"""Attention on the image: the encoder's self-attention of a vision model over one image, with the
patch grid and the attention rollout, for the Attention-on-the-image view."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.errors import ModelError
from engine.probes.attention import attention
from engine.probes.attention_summary import rollout
from engine.records.vision import ImageAttention


def image_attention(model, image, residual: float = 0.5) -> ImageAttention:
    model.require(Capability.ATTENTION)
    maps = attention(model, image)
    stack = maps.stacks[0]
    seq = next((s for s in maps.sequences if s.grid is not None), None)
    if seq is None:
        raise ModelError(f"model '{model.name}' gives attention without a patch grid; choose a vision model "
                         "(vit, vit-mae, rotnet, simclr, cluster).")
    pixels = model.input_pixels(image) if hasattr(model, "input_pixels") else None
    if pixels is None:
        from engine.probes.image_patches import resized

        pixels = resized(image, seq.grid[0] * 16)
    weights = np.asarray(stack.weights, np.float32)
    return ImageAttention(pixels=np.asarray(pixels, np.float32), weights=weights,
                          rollout=rollout(weights, residual).astype(np.float32), grid=tuple(seq.grid),
                          offset=int(seq.grid_offset), model=model.name, note=maps.note)
