"""Text transformers from a local HuggingFace folder.

BERT, RoBERTa, DistilBERT, MiniLM and GPT-2 folders run on the project's own blocks
(`BlocksTextModel`); any other architecture `AutoModel` knows runs through `transformers`
(`HFTextModel`, eager attention so that `output_attentions=True` gives the weights).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from engine.contract.attention import AttentionPass
from engine.contract.loaded import LoadedModel
from engine.contract.spec import ModelRef
from engine.errors import ModelError
from engine.hf_import import quiet_transformers
from engine.models.transformer import TransformerOutput
from engine.pretrained import bert_family, gpt2_family
from engine.pretrained.folder_kind import AUDIO_TYPES
from engine.pretrained.text_model import BlocksTextModel, TextTransformer
from engine.records.attention import CAUSAL_SELF, ENCODER_SELF, STACK_NAMES

# Decoder-only architectures the fallback treats as causal (their attention is masked).
CAUSAL_TYPES = frozenset({"gpt2", "gpt_neo", "gpt_neox", "gptj", "opt", "bloom", "llama", "mistral", "qwen2",
                          "phi", "falcon", "codegen", "gpt_bigcode"})


@dataclass
class HFTextModel(TextTransformer):
    """A text model run by `transformers` (the fallback for architectures the blocks lack)."""

    hf_model: Any = None

    def run(self, input_ids, attention_mask=None, token_type_ids=None, hidden=False) -> TransformerOutput:
        out = self.hf_model(**self._inputs(input_ids, attention_mask, token_type_ids), output_hidden_states=hidden)
        return TransformerOutput(out.last_hidden_state, tuple(out.hidden_states) if hidden else None)

    def attentions(self, input_ids, token_type_ids=None) -> tuple:
        """L tensors (1, H, T, S): the model's own `output_attentions=True` weights."""
        out = self.hf_model(**self._inputs(input_ids, None, token_type_ids), output_attentions=True)
        if not out.attentions:
            raise ModelError(f"the {self.model_type} model in {self.source} returned no attention weights.")
        return tuple(out.attentions)

    def _pass(self, ids, types, sequences, truncated, note, prompt_length) -> AttentionPass:
        """The weights come from `transformers` itself: one stack, (L, H, T, S)."""
        kind = CAUSAL_SELF if self.causal else ENCODER_SELF

        def run():
            weights = torch.stack([a[0] for a in self.attentions(ids, types)])
            return [(STACK_NAMES[kind], kind, "tokens", "tokens", weights)]

        no_steps = (f"The step-by-step view needs a model the project's blocks cover (BERT family, GPT-2); "
                    f"'{self.model_type}' runs through transformers.")
        return AttentionPass(net=None, run=run, sequences=sequences, truncated=truncated, note=note,
                             prompt_length=prompt_length, extra={"no_steps": no_steps})

    @property
    def hidden_size(self) -> int:
        return int(self.hf_model.config.hidden_size)

    def _inputs(self, input_ids, attention_mask, token_type_ids) -> dict:
        kw = {"input_ids": input_ids}
        if attention_mask is not None:
            kw["attention_mask"] = attention_mask
        if token_type_ids is not None and "token_type_ids" in self.tokenizer.model_input_names:
            kw["token_type_ids"] = token_type_ids
        return kw


def read_config(folder: Path) -> dict:
    try:
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except RecursionError:
        raise ModelError(f"{folder / 'config.json'} is nested too deeply to be a model configuration.") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {folder / 'config.json'}: {exc}; is this a HuggingFace model folder?") from None
    if not isinstance(cfg, dict):
        raise ModelError(f"{folder / 'config.json'} is not a JSON object; is this a HuggingFace model folder?")
    return cfg


def load_tokenizer(folder: Path):
    from engine.hf_import import HF_LOCK, hf_name

    try:
        with HF_LOCK:
            tok = hf_name("AutoTokenizer").from_pretrained(str(folder), local_files_only=True)
    except Exception as exc:  # transformers raises many kinds; the user needs one sentence
        raise ModelError(f"could not load the tokenizer in {folder}: {exc}") from None
    if tok.pad_token is None and tok.eos_token is not None:
        tok.pad_token = tok.eos_token
    return tok


def load_text_folder(ref: ModelRef, folder: Path, device, normalize: bool = False,
                     max_length: int | None = None, backend: str = "auto") -> TextTransformer:
    """Load tokenizer + model from `folder` with no network access.

    backend: "auto" (the project's blocks when they cover the architecture, else transformers),
    "blocks" (refuse other architectures) or "transformers" (always the fallback)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    quiet_transformers()
    cfg = read_config(folder)
    model_type = str(cfg.get("model_type", ""))
    tok = load_tokenizer(folder)
    covered = bert_family.supports(cfg) or gpt2_family.supports(cfg)
    if backend == "blocks" and not covered:
        raise ModelError(f"the project's blocks do not cover '{model_type}' models; use backend 'transformers'.")
    common = dict(ref=ref, device=device, source=str(folder), tokenizer=tok, model_type=model_type,
                  normalize=normalize)
    if covered and backend != "transformers":
        from engine.pretrained.folder_kind import has_mlm_head

        mlm = not gpt2_family.supports(cfg) and has_mlm_head(cfg)
        if mlm:
            from engine.pretrained.masked_lm import MaskedTextModel, load_bert_mlm

            net, cls = load_bert_mlm(folder, cfg), MaskedTextModel
        else:
            net = gpt2_family.load_gpt2(folder, cfg) if gpt2_family.supports(cfg) else bert_family.load_bert(folder, cfg)
            cls = BlocksTextModel
        net.to(device)
        causal = gpt2_family.supports(cfg)
        return cls(**common, net=net, causal=causal, max_tokens=net.max_tokens, max_length=max_length or net.max_tokens)
    model = _load_hf_model(folder)
    model.eval().to(device)
    limit = _position_limit(cfg, tok)
    return HFTextModel(**common, hf_model=model, max_tokens=limit,
                       max_length=max_length or limit,
                       causal=model_type in CAUSAL_TYPES or bool(cfg.get("is_decoder", False)))


def _load_hf_model(folder: Path):
    import warnings

    from engine.hf_import import HF_LOCK, hf_name
    from engine.pretrained.weights import check_pickled_weights

    check_pickled_weights(Path(folder))          # a pickle that would run code: refused before transformers
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with HF_LOCK:
                return hf_name("AutoModel").from_pretrained(str(folder), local_files_only=True, attn_implementation="eager")
    except Exception as exc:  # transformers raises many kinds; the user needs one sentence
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        raise ModelError(f"could not load the model in {folder}: {first}") from None


def _position_limit(cfg: dict, tok) -> int:
    """The most tokens a transformers-run model accepts: its position table, or the tokenizer's limit."""
    limit = int(cfg.get("max_position_embeddings", cfg.get("n_positions", 512)))
    if cfg.get("model_type") in ("roberta", "xlm-roberta", "camembert"):
        limit -= int(cfg.get("pad_token_id", 1)) + 1
    tok_limit = getattr(tok, "model_max_length", None)
    if isinstance(tok_limit, int) and 0 < tok_limit < limit:
        limit = tok_limit
    return limit


def load_hf_folder(ref: ModelRef, device) -> LoadedModel:
    if ref.path is None:
        raise ModelError("hf needs a folder: write hf:PATH with the path of a HuggingFace-format model folder.")
    cfg = read_config(Path(ref.path))
    if cfg.get("model_type") in AUDIO_TYPES:
        from engine.pretrained.hf_audio import load_audio_folder

        return load_audio_folder(ref, Path(ref.path), cfg, device)
    return load_text_folder(ref, ref.path, device)
