"""What a HuggingFace folder can do, read from its config.json alone (no torch, no transformers):
the `refine` function of the `hf` registry entry, so that `mlsp models`, the Model dock and the
View menu know before loading that a GPT-2 folder generates and a BERT folder does not.

Families the project's blocks cover get every capability their probes support; any other
architecture runs through `transformers` (embeddings and attention weights only).
"""
from __future__ import annotations

import json
from pathlib import Path

from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.spec import Declared

BERT_TYPES = ("bert", "roberta", "distilbert")
AUDIO_TYPES = ("wav2vec2", "hubert")                   # speech encoders: engine/pretrained/hf_audio.py
GPT2_TYPES = ("gpt2",)


def bert_covered(cfg: dict) -> bool:
    """True when the project's blocks cover this BERT-family config (absolute positions, no decoder parts)."""
    if cfg.get("model_type") not in BERT_TYPES:
        return False
    if cfg.get("model_type") == "distilbert":
        return True
    return (cfg.get("position_embedding_type", "absolute") == "absolute" and not cfg.get("is_decoder", False)
            and not cfg.get("add_cross_attention", False))


def gpt2_covered(cfg: dict) -> bool:
    return cfg.get("model_type") in GPT2_TYPES and not cfg.get("add_cross_attention", False)


def has_mlm_head(cfg: dict) -> bool:
    """The folder was saved from a masked-LM model (its weights hold the prediction head)."""
    return any(str(a).endswith("ForMaskedLM") or str(a).endswith("ForPreTraining")
               for a in cfg.get("architectures") or ())


def declared_of_config(cfg: dict) -> Declared:
    """Capabilities and input/output kinds of a folder with this config.json content."""
    model_type = str(cfg.get("model_type", "") or "unknown")
    if model_type == "marian":
        return Declared(frozenset({C.TRANSLATE, C.ATTENTION}), (I.SOURCE_TARGET,), (O.TEXT, O.TOKEN_PROBS, O.ATTENTION),
                        "MarianMT folder: translates on the project's blocks")
    if model_type in AUDIO_TYPES:
        return Declared(frozenset({C.EMBED, C.ATTENTION}), (I.AUDIO,), (O.VECTORS, O.ATTENTION),
                        f"{model_type} folder: speech frames, run through transformers")
    if gpt2_covered(cfg):
        return Declared(frozenset({C.EMBED, C.ATTENTION, C.TOKEN_STATES, C.GENERATE}), (I.TEXT,),
                        (O.VECTORS, O.ATTENTION, O.TEXT, O.TOKEN_PROBS), "GPT-2 folder: causal, can generate")
    if bert_covered(cfg):
        caps = {C.EMBED, C.ATTENTION, C.TOKEN_STATES}
        outs = [O.VECTORS, O.ATTENTION]
        if has_mlm_head(cfg):
            caps.add(C.FILL_MASK)
            outs.append(O.TOKEN_PROBS)
        return Declared(frozenset(caps), (I.TEXT, I.TEXT_PAIR), tuple(outs), f"{model_type} folder")
    return Declared(frozenset({C.EMBED, C.ATTENTION, C.TOKEN_STATES}), (I.TEXT, I.TEXT_PAIR),
                    (O.VECTORS, O.ATTENTION), f"{model_type} folder, run through transformers")


def declared(folder: Path) -> Declared:
    """The `hf` entry's refine function; an unreadable config.json declares the text defaults
    (loading the folder then says what is wrong)."""
    try:
        cfg = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        cfg = {}
    return declared_of_config(cfg if isinstance(cfg, dict) else {})
