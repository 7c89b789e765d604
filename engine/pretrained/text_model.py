"""Loaded text transformers (BERT family, GPT-2): tokenising, sentence embeddings, per-layer
token states, greedy generation. `BlocksTextModel` runs on the project's own blocks;
`engine.pretrained.hf_text.HFTextModel` on `transformers` for architectures the blocks lack."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.errors import InputError, ModelError
from engine.models.gpt2 import GPT2
from engine.models.transformer import TransformerOutput
from engine.records.token_states import TokenStates
from engine.zoo.spec import LoadedModel

TEXT_PROVIDES = frozenset({"tokens", "attention", "sentence-embedding", "token-embedding", "hidden-states"})


@dataclass
class Encoded:
    """One tokenised input, ready for the model (batch of one)."""

    input_ids: torch.Tensor                  # (1, T)
    token_type_ids: torch.Tensor | None      # (1, T) segment ids, when the tokenizer gives them
    tokens: list[str]                        # T display strings
    segments: np.ndarray | None              # (T,) 0 = sentence A, 1 = sentence B (pairs only)
    n_tokens: int                            # tokens before truncation
    limit: int                               # the most tokens allowed
    pair: bool = False                       # two sentences (A and B)

    @property
    def truncated(self) -> bool:
        return self.n_tokens > self.limit

    @property
    def note(self) -> str:
        if not self.truncated:
            return ""
        if self.pair:
            return (f"The two sentences have {self.n_tokens} tokens; the longer one was cut so that both fit in "
                    f"{self.limit} tokens (this model's limit).")
        return (f"The input has {self.n_tokens} tokens; only the first {self.limit} (this model's limit) "
                "are shown.")


@dataclass
class TextTransformer(LoadedModel):
    """Base of the loaded text transformers; subclasses implement `run`."""

    tokenizer: Any = None
    model_type: str = ""
    normalize: bool = False
    max_length: int = 512          # tokens per text for sentence embeddings
    max_tokens: int = 512          # positions the model has: the attention probe's limit
    causal: bool = False

    def run(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
            token_type_ids: torch.Tensor | None = None, hidden: bool = False) -> TransformerOutput:
        """Forward pass: (B, T) ids -> (B, T, D) states (and all L + 1 of them when `hidden`)."""
        raise ModelError(f"{type(self).__name__} cannot run a forward pass")

    # --- tokens -------------------------------------------------------------------------------
    def display_tokens(self, ids) -> list[str]:
        """Token strings for the views: WordPiece pieces as they are ("##ing"), byte-level BPE
        pieces decoded ("Ġthe" -> " the")."""
        ids = [int(i) for i in ids]
        pieces = self.tokenizer.convert_ids_to_tokens(ids)
        if not _byte_level(self.tokenizer):
            return [str(p) for p in pieces]
        return [self.tokenizer.convert_tokens_to_string([p]) for p in pieces]

    def encode(self, text: str, pair: str | None = None, limit: int | None = None) -> Encoded:
        """Tokenise `text` (and `pair` as sentence B), truncating to `limit` (at most max_tokens)."""
        if not text or not text.strip():
            raise InputError("the text is empty; type or load some text to look at.")
        if pair is not None and not pair.strip():
            raise InputError("the second sentence (--pair) is empty; give it some text or leave it out.")
        limit = min(limit or self.max_tokens, self.max_tokens)
        args = (text,) if pair is None else (text, pair)
        enc = self.tokenizer(*args, return_tensors="pt", verbose=False)
        n_tokens = int(enc["input_ids"].shape[1])
        if n_tokens > limit:
            enc = self.tokenizer(*args, return_tensors="pt", truncation=True, max_length=limit, verbose=False)
        ids = enc["input_ids"]
        if ids.shape[1] == 0:
            raise InputError("the text gives no tokens for this model; type or load some other text.")
        types = enc.get("token_type_ids")
        segments = _segments(enc, types) if pair is not None else None
        return Encoded(ids.to(self.device), None if types is None else types.to(self.device),
                       self.display_tokens(ids[0]), segments, n_tokens, limit, pair is not None)

    # --- what the views ask for ---------------------------------------------------------------
    def embed_texts(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Mean-pooled (optionally L2-normalised) sentence embeddings, float32 (N, D)."""
        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), batch_size):
                enc = self.tokenizer(texts[i:i + batch_size], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt").to(self.device)
                hidden = self.run(enc["input_ids"], enc["attention_mask"], enc.get("token_type_ids")).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)          # (B, T, 1)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                if self.normalize:
                    pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out.append(pooled.float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.hidden_size), np.float32)

    def hidden_states(self, text: str, pair: str | None = None) -> TokenStates:
        """Every token's vector after every layer: states (L + 1, T, D), 0 = embeddings."""
        enc = self.encode(text, pair)
        with torch.inference_mode():
            out = self.run(enc.input_ids, None, enc.token_type_ids, hidden=True)
        states = torch.stack([h[0] for h in out.hidden_states]).float().cpu().numpy()
        return TokenStates(tokens=enc.tokens, states=states, model=self.name, truncated=enc.truncated, note=enc.note)

    @property
    def hidden_size(self) -> int:
        raise ModelError(f"{type(self).__name__} does not know its width")


@dataclass
class BlocksTextModel(TextTransformer):
    """A text transformer running on the project's blocks (`engine.models`), so every attention
    step can be recorded through hook points."""

    net: nn.Module | None = None

    def run(self, input_ids, attention_mask=None, token_type_ids=None, hidden=False) -> TransformerOutput:
        if isinstance(self.net, GPT2):
            return self.net(input_ids, attention_mask, output_hidden_states=hidden, logits=False)
        return self.net(input_ids, attention_mask, token_type_ids, output_hidden_states=hidden)

    @property
    def hidden_size(self) -> int:
        return int(self.net.cfg.d_model)

    def next_token_logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        """(1, T) ids -> (V,) logits of the next token (causal language models only)."""
        if not isinstance(self.net, GPT2):
            raise ModelError(f"model '{self.name}' is not a causal language model, so it cannot generate; "
                             "use a GPT-2-format folder (hf:PATH).")
        out = self.net(input_ids)
        return out.logits[0, -1]

    def generate(self, input_ids: torch.Tensor, n: int) -> torch.Tensor:
        """Greedy decoding: append the most likely next token `n` times. (1, T) -> (1, T + n)."""
        ids = input_ids
        with torch.inference_mode():
            for _ in range(n):
                nxt = self.next_token_logits(ids).argmax()
                ids = torch.cat([ids, nxt.view(1, 1)], dim=1)
        return ids


def _byte_level(tokenizer) -> bool:
    """True for byte-level BPE tokenizers (GPT-2, RoBERTa), whose pieces carry 'Ġ' for spaces."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    decoder = getattr(backend, "decoder", None) if backend is not None else None
    return decoder is not None and type(decoder).__name__ == "ByteLevel"


def _segments(enc, types) -> np.ndarray:
    """(T,) 0 for sentence A, 1 for sentence B: the segment ids when the tokenizer gives a real
    B segment, else the tokenizer's sequence ids with special tokens joining the segment before them."""
    if types is not None and int(types.max()) > 0:
        return types[0].cpu().numpy().astype(np.int8)
    seq = enc.sequence_ids(0) if getattr(enc, "is_fast", False) else None
    if seq is None:
        return np.zeros(int(enc["input_ids"].shape[1]), np.int8)
    out, current = [], 0
    for s in seq:
        current = current if s is None else s
        out.append(current)
    return np.asarray(out, np.int8)
