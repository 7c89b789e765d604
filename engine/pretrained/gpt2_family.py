"""GPT-2 checkpoints (HF folders: GPT2Model or GPT2LMHeadModel) -> `engine.models.gpt2.GPT2`.

HF GPT-2 stores its projections as Conv1D, weight (in, out), with q, k and v fused in `c_attn`;
our blocks use nn.Linear, weight (out, in), so each is sliced and transposed on the way in.
"""
from __future__ import annotations

import re
from pathlib import Path

from engine.models.gpt2 import GPT2, GPT2Config
from engine.pretrained.folder_kind import GPT2_TYPES, gpt2_covered
from engine.pretrained.weights import fill_module, find_prefix, normalise_keys, read_state_dict

MODEL_TYPES = GPT2_TYPES

_BLOCK_KEY = re.compile(r"decoder\.blocks\.(\d+)\.(.+)\.(weight|bias)$")
_PLAIN = {"norm1": "ln_1", "norm2": "ln_2"}
_CONV = {"attn.out_proj": "attn.c_proj", "ffn.fc1": "mlp.c_fc", "ffn.fc2": "mlp.c_proj"}
_QKV = {"attn.q_proj": 0, "attn.k_proj": 1, "attn.v_proj": 2}


def supports(cfg: dict) -> bool:
    return gpt2_covered(cfg)


def config_from_hf(cfg: dict) -> GPT2Config:
    d = cfg["n_embd"]
    return GPT2Config(vocab_size=cfg["vocab_size"], d_model=d, n_layers=cfg["n_layer"], n_heads=cfg["n_head"],
                      d_ff=cfg.get("n_inner") or 4 * d, max_positions=cfg.get("n_positions", 1024),
                      activation=cfg.get("activation_function", "gelu_new"),
                      eps=cfg.get("layer_norm_epsilon", 1e-5), dropout=cfg.get("resid_pdrop", 0.1),
                      attn_dropout=cfg.get("attn_pdrop", 0.1),
                      scale_attn_weights=cfg.get("scale_attn_weights", True),
                      scale_by_inverse_layer=cfg.get("scale_attn_by_inverse_layer_idx", False),
                      tie_embeddings=cfg.get("tie_word_embeddings", True))


def _source(prefix: str, d: int, state: dict, tied: bool):
    def source(key: str):
        if key in ("wte.weight", "wpe.weight"):
            return prefix + key, None
        if key.startswith("decoder.norm."):
            return f"{prefix}ln_f.{key.rsplit('.', 1)[1]}", None
        if key == "lm_head.weight":
            return ("lm_head.weight", None) if "lm_head.weight" in state or not tied else (prefix + "wte.weight", None)
        m = _BLOCK_KEY.match(key)
        if m is None:
            raise KeyError(f"no checkpoint name for '{key}'")
        layer, part, leaf = m.groups()
        base = f"{prefix}h.{layer}."
        if part in _PLAIN:
            return base + f"{_PLAIN[part]}.{leaf}", None
        if part in _CONV:
            return base + f"{_CONV[part]}.{leaf}", (lambda w: w.T) if leaf == "weight" else None
        i = _QKV[part]
        if leaf == "weight":
            return base + "attn.c_attn.weight", lambda w: w[:, i * d:(i + 1) * d].T
        return base + "attn.c_attn.bias", lambda b: b[i * d:(i + 1) * d]

    return source


def load_gpt2(folder: Path, cfg: dict) -> GPT2:
    """A GPT2 with the folder's weights; the LM head is the checkpoint's, or tied to wte."""
    config = config_from_hf(cfg)
    net = GPT2(config)
    state = normalise_keys(read_state_dict(folder))
    prefix = find_prefix(state, "wte.weight", ("transformer.", "model."))
    fill_module(net, state, _source(prefix, config.d_model, state, config.tie_embeddings), folder)
    return net.eval()
