"""Text transformers from a local HuggingFace folder, run through `transformers`."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import ModelError
from engine.zoo.spec import LoadedModel, ModelRef


@dataclass
class HFTextModel(LoadedModel):
    """A BERT-family or GPT-2 text model with its tokenizer."""

    hf_model: Any = None
    tokenizer: Any = None
    model_type: str = ""
    normalize: bool = False
    max_length: int = 512

    def embed_texts(self, texts: list[str], batch_size: int = 32):
        """Mean-pooled (optionally L2-normalised) sentence embeddings, float32 [N, D]."""
        import numpy as np
        import torch

        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), batch_size):
                enc = self.tokenizer(texts[i:i + batch_size], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt").to(self.device)
                hidden = self.hf_model(**enc).last_hidden_state            # (B, T, D)
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # (B, T, 1)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                if self.normalize:
                    pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out.append(pooled.float().cpu().numpy())
        dim = self.hf_model.config.hidden_size
        return np.concatenate(out) if out else np.zeros((0, dim), np.float32)


def load_text_folder(ref: ModelRef, folder: Path, device, normalize: bool = False,
                     max_length: int | None = None) -> HFTextModel:
    """Load tokenizer + model from `folder` with no network access."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {folder / 'config.json'}: {exc}; is this a HuggingFace model folder?") from None
    from transformers import AutoModel, AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager")
    except Exception as exc:  # transformers raises many kinds; the user needs one sentence
        raise ModelError(f"could not load the model in {folder}: {exc}") from None
    model.eval().to(device)
    if tok.pad_token is None and tok.eos_token is not None:
        tok.pad_token = tok.eos_token
    limit = max_length or int(cfg.get("max_position_embeddings", cfg.get("n_positions", 512)))
    return HFTextModel(ref=ref, device=device, source=str(folder),
                       provides=frozenset({"tokens", "attention", "sentence-embedding", "token-embedding"}),
                       hf_model=model, tokenizer=tok, model_type=str(cfg.get("model_type", "")),
                       normalize=normalize, max_length=limit)


def load_hf_folder(ref: ModelRef, device) -> HFTextModel:
    if ref.path is None:
        raise ModelError("hf needs a folder: write hf:PATH with the path of a HuggingFace-format model folder.")
    return load_text_folder(ref, ref.path, device)
