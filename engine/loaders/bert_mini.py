"""Loading bert-mini (shipped weights, a run or a checkpoint) as a MaskedTextModel: fill-mask,
attention, token states and sentence embeddings on the project's blocks."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.loaders.lm_folders import load_state, read_meta
from engine.pretrained.masked_lm import MaskedTextModel


def load_bert_mini_folder(folder: Path, ref: Any, device: Any) -> MaskedTextModel:
    from engine.data.lm_tokenizers import load_tokenizer
    from engine.models.bert_mini import BertMiniConfig, BertMLM

    meta = read_meta(folder, "bert-mini")
    cfg = BertMiniConfig(**meta["config"])
    tok = load_tokenizer(folder)
    net = BertMLM(cfg.bert(int(meta["vocab_size"]), tok.pad_token_id))
    load_state(folder, net)
    net.to(device).eval()
    return MaskedTextModel(ref=ref, device=device, source=str(folder), tokenizer=tok, model_type="bert-mini",
                           net=net, causal=False, max_tokens=net.max_tokens, max_length=net.max_tokens)


def load_bert_mini(ref: Any, device: Any) -> MaskedTextModel:
    """The zoo loader: shipped weights, a run folder (newest readable checkpoint) or a checkpoint folder."""
    from engine.training.checkpoint import load_reference

    return load_reference(ref, lambda folder: load_bert_mini_folder(folder, ref, device))
