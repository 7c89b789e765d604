"""Masked language models on the project's blocks: bert-mini, and HuggingFace BERT / RoBERTa /
DistilBERT folders saved with their MLM head (`*ForMaskedLM`), loaded into
`engine.models.bert_mini.BertMLM`.

`MaskedTextModel.fill_mask(text, top_k, positions)` predicts the tokens at every mask of the
text (the user writes [MASK]; a RoBERTa folder's <mask> is accepted too) and at extra token
positions (the view's "click a token to mask it").
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

import engine.contract.protocols_lm  # noqa: F401  (registers the fill-mask protocol)
from engine.errors import InputError
from engine.models.bert_mini import BertMLM
from engine.models.hooks import net_lock
from engine.pretrained import bert_family
from engine.pretrained.text_model import BlocksTextModel
from engine.pretrained.weights import fill_module, normalise_keys, read_state_dict
from engine.records.language_model import FillMask, TokenProb

TYPED_MASK = "[MASK]"

# Our head's parameter -> the HF name under each layout (BERT, RoBERTa, DistilBERT).
_HEAD_NAMES = {
    "head.dense": ("cls.predictions.transform.dense", "lm_head.dense", "vocab_transform"),
    "head.norm": ("cls.predictions.transform.LayerNorm", "lm_head.layer_norm", "vocab_layer_norm"),
    "head.decoder": ("cls.predictions.decoder", "lm_head.decoder", "vocab_projector"),
    "head.bias": ("cls.predictions.bias", "lm_head.bias", "vocab_projector.bias"),
}


@dataclass
class MaskedTextModel(BlocksTextModel):
    """A BERT-style encoder with its MLM head (`net` is a BertMLM)."""

    def fill_mask(self, text: str, top_k: int = 5, positions=()) -> FillMask:
        """Top-k tokens at every mask of `text` (written [MASK]) and at token `positions` (indices
        into the encoded tokens, [CLS] being 0), in position order."""
        if top_k < 1:
            raise InputError(f"top-k must be 1 or more, not {top_k}.")
        mask_token = self.tokenizer.mask_token
        text = text.replace(TYPED_MASK, mask_token) if mask_token != TYPED_MASK else text
        enc = self.encode(text)
        ids = enc.input_ids.clone()
        mask_id = self.tokenizer.mask_token_id
        chosen = sorted(set(int(p) for p in positions) | set(torch.nonzero(ids[0] == mask_id).flatten().tolist()))
        bad = [p for p in chosen if not 0 <= p < ids.shape[1]]
        if bad:
            raise InputError(f"token position {bad[0]} is outside the {ids.shape[1]} tokens of the text.")
        if not chosen:
            hint = "a mask was cut off with the text; shorten it" if enc.truncated and mask_token in text else \
                f"write {TYPED_MASK} where a word should be predicted, e.g. 'the king lives in the {TYPED_MASK}'"
            raise InputError(f"the text has no {TYPED_MASK} to fill in; {hint}.")
        ids[0, chosen] = mask_id
        with torch.inference_mode(), net_lock(self.net):
            logits = self.net(ids, None, enc.token_type_ids).logits[0, chosen].float()
        probs = torch.softmax(logits, -1)
        top = torch.topk(probs, min(top_k, probs.shape[-1]), dim=-1)
        preds = tuple(tuple(TokenProb(token=self.display_tokens([i])[0], prob=float(p), id=int(i))
                            for p, i in zip(row_p.tolist(), row_i.tolist()))
                      for row_p, row_i in zip(top.values, top.indices))
        tokens = self.display_tokens(ids[0])
        return FillMask(model=self.name, tokens=tuple(tokens), masked=tuple(chosen), predictions=preds, note=enc.note)


def load_bert_mlm(folder: Path, cfg: dict) -> BertMLM:
    """A BertMLM with the folder's encoder and MLM-head weights."""
    from engine.pretrained.weights import find_prefix

    layout = 2 if cfg["model_type"] == "distilbert" else 1 if cfg["model_type"] == "roberta" else 0
    config = bert_family.config_from_hf(cfg)
    net = BertMLM(config, tie=bool(cfg.get("tie_word_embeddings", True)))
    state = normalise_keys(read_state_dict(folder))
    prefix = find_prefix(state, "embeddings.word_embeddings.weight",
                         ("bert.", "roberta.", "distilbert.", "model.", "encoder."))
    encoder = bert_family.encoder_source(cfg["model_type"] == "distilbert", prefix)

    def source(key: str):
        if key.startswith("bert."):
            return encoder(key[len("bert."):])
        part, leaf = key.rsplit(".", 1)
        name = _HEAD_NAMES[key if key == "head.bias" else part][layout]
        if key == "head.bias":
            return (name, None) if name in state else (_HEAD_NAMES["head.decoder"][layout] + ".bias", None)
        if key == "head.decoder.weight" and name + ".weight" not in state:
            return prefix + "embeddings.word_embeddings.weight", None
        return f"{name}.{leaf}", None

    fill_module(net, state, source, folder)
    return net.eval()
