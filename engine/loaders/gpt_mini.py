"""Loading gpt-mini (shipped weights, a run or a checkpoint): generation through the shared
decoders with its key/value cache, attention, token states and embeddings on the project's blocks."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.loaders.lm_folders import load_state, read_meta
from engine.pretrained.text_model import BlocksTextModel


def load_gpt_mini_folder(folder: Path, ref: Any, device: Any) -> BlocksTextModel:
    from engine.data.lm_tokenizers import load_tokenizer
    from engine.models.gpt_mini import GPTMiniConfig, build_gpt_mini

    meta = read_meta(folder, "gpt-mini")
    cfg = GPTMiniConfig(**meta["config"])
    tok = load_tokenizer(folder)
    net = build_gpt_mini(cfg, int(meta["vocab_size"]))
    load_state(folder, net)
    net.to(device).eval()
    return BlocksTextModel(ref=ref, device=device, source=str(folder), tokenizer=tok, model_type="gpt-mini",
                           net=net, causal=True, max_tokens=net.max_tokens, max_length=net.max_tokens)


def load_gpt_mini(ref: Any, device: Any) -> BlocksTextModel:
    """The zoo loader: shipped weights, a run folder (newest readable checkpoint) or a checkpoint folder."""
    from engine.training.checkpoint import load_reference

    return load_reference(ref, lambda folder: load_gpt_mini_folder(folder, ref, device))
