"""BERT, RoBERTa, DistilBERT and MiniLM checkpoints (HF folders) -> `engine.models.bert.BertEncoder`."""
from __future__ import annotations

import re
from pathlib import Path

from engine.models.bert import BertConfig, BertEncoder
from engine.pretrained.folder_kind import BERT_TYPES, bert_covered
from engine.pretrained.weights import fill_module, find_prefix, normalise_keys, read_state_dict

MODEL_TYPES = BERT_TYPES

# Our block parameter names -> the two HF layouts (BERT/RoBERTa, DistilBERT), per layer.
_BLOCK_NAMES = {
    "attn.q_proj": ("attention.self.query", "attention.q_lin"),
    "attn.k_proj": ("attention.self.key", "attention.k_lin"),
    "attn.v_proj": ("attention.self.value", "attention.v_lin"),
    "attn.out_proj": ("attention.output.dense", "attention.out_lin"),
    "norm1": ("attention.output.LayerNorm", "sa_layer_norm"),
    "ffn.fc1": ("intermediate.dense", "ffn.lin1"),
    "ffn.fc2": ("output.dense", "ffn.lin2"),
    "norm2": ("output.LayerNorm", "output_layer_norm"),
}
_EMBED_NAMES = {"word": "word_embeddings", "position": "position_embeddings",
                "segment": "token_type_embeddings", "norm": "LayerNorm"}
_BLOCK_KEY = re.compile(r"encoder\.blocks\.(\d+)\.(.+)\.(weight|bias)$")


def supports(cfg: dict) -> bool:
    """True when the project's blocks cover this config (absolute positions, no decoder parts)."""
    return bert_covered(cfg)


def config_from_hf(cfg: dict) -> BertConfig:
    """Our config from an HF config.json dict."""
    if cfg["model_type"] == "distilbert":
        return BertConfig(vocab_size=cfg["vocab_size"], d_model=cfg["dim"], n_layers=cfg["n_layers"],
                          n_heads=cfg["n_heads"], d_ff=cfg["hidden_dim"],
                          max_positions=cfg.get("max_position_embeddings", 512), type_vocab_size=0,
                          activation=cfg.get("activation", "gelu"), eps=1e-12,
                          pad_token_id=cfg.get("pad_token_id", 0) or 0, dropout=cfg.get("dropout", 0.1),
                          attn_dropout=cfg.get("attention_dropout", 0.1))
    roberta = cfg["model_type"] == "roberta"
    pad = cfg.get("pad_token_id")
    pad = (1 if roberta else 0) if pad is None else pad
    return BertConfig(vocab_size=cfg["vocab_size"], d_model=cfg["hidden_size"], n_layers=cfg["num_hidden_layers"],
                      n_heads=cfg["num_attention_heads"], d_ff=cfg["intermediate_size"],
                      max_positions=cfg.get("max_position_embeddings", 512),
                      type_vocab_size=cfg.get("type_vocab_size", 2), activation=cfg.get("hidden_act", "gelu"),
                      eps=cfg.get("layer_norm_eps", 1e-12), pad_token_id=pad,
                      positions="roberta" if roberta else "absolute",
                      dropout=cfg.get("hidden_dropout_prob", 0.1),
                      attn_dropout=cfg.get("attention_probs_dropout_prob", 0.1))


def _source(distil: bool, prefix: str):
    layers = "transformer.layer" if distil else "encoder.layer"

    def source(key: str):
        if key.startswith("embeddings."):
            _, part, leaf = key.split(".")
            return f"{prefix}embeddings.{_EMBED_NAMES[part]}.{leaf}", None
        m = _BLOCK_KEY.match(key)
        if m is None:
            raise KeyError(f"no checkpoint name for '{key}'")
        layer, part, leaf = m.groups()
        return f"{prefix}{layers}.{layer}.{_BLOCK_NAMES[part][distil]}.{leaf}", None

    return source


encoder_source = _source          # the encoder's key map, for heads built on it (engine.pretrained.masked_lm)


def load_bert(folder: Path, cfg: dict) -> BertEncoder:
    """A BertEncoder with the folder's weights (task heads such as MLM or pooler are ignored)."""
    config = config_from_hf(cfg)
    net = BertEncoder(config)
    state = normalise_keys(read_state_dict(folder))
    prefix = find_prefix(state, "embeddings.word_embeddings.weight",
                         ("bert.", "roberta.", "distilbert.", "model.", "encoder."))
    fill_module(net, state, _source(cfg["model_type"] == "distilbert", prefix), folder)
    return net.eval()
