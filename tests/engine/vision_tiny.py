"""Tiny vision models for the tests: random-init vit / vit-mae VisionModels and an exported folder."""
from __future__ import annotations

import numpy as np
import torch

from engine.loaders.vision import random_init
from engine.records.inputs import ImageInput
from engine.zoo import resolve

TINY = {"d_model": 16, "n_layers": 1, "n_heads": 2, "d_ff": 32, "dec_d_model": 16, "dec_d_ff": 16, "dec_heads": 2}


def tiny_model(family: str = "vit-mae", seed: int = 0, **overrides):
    config = {k: v for k, v in {**TINY, **overrides}.items() if family == "vit-mae" or not k.startswith("dec_")}
    return random_init(family, config, resolve(family), torch.device("cpu"), seed)


def image(h: int = 32, w: int = 32, seed: int = 0, name: str = "test.png") -> ImageInput:
    pixels = (np.random.RandomState(seed).rand(h, w, 3) * 255).astype(np.uint8)
    return ImageInput(path=None, name=name, pixels=pixels, width=w, height=h, mode="RGB", note="")
