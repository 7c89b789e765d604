"""Loaded text transformers (BERT family, GPT-2): tokenising, sentence embeddings, per-layer
token states, the attention probe's pass, and generation through the shared decoding
(`engine.decoding`). `BlocksTextModel` runs on the project's own blocks;
`engine.pretrained.hf_text.HFTextModel` on `transformers` for architectures the blocks lack."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.contract.attention import AttentionPass
from engine.contract.capabilities import Capability
from engine.contract.loaded import LoadedModel
from engine.errors import InputError, ModelError
from engine.models.hooks import net_lock
from engine.models.transformer import TransformerOutput
from engine.records.attention import SequenceInfo
from engine.records.inputs import TextInput, TextPair
from engine.records.token_states import TokenStates


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
    def embed_texts(self, texts: list[str], batch_size: int = 32, windows: bool = False) -> np.ndarray:
        """Mean-pooled (optionally L2-normalised) sentence embeddings, float32 (N, D). A text longer
        than `max_length` tokens is cut to its first `max_length` (see `token_counts`), or with
        `windows` embedded whole: the mean of its windows of `max_length` tokens, weighted by length."""
        out = []
        long = set()
        if windows:
            counts = self.token_counts(texts)
            long = {i for i, n in enumerate(counts) if n > self.max_length}
        short = [i for i in range(len(texts)) if i not in long]
        rows: dict[int, np.ndarray] = {}
        with torch.inference_mode():
            for start in range(0, len(short), batch_size):
                chunk = short[start:start + batch_size]
                enc = self.tokenizer([texts[i] for i in chunk], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt").to(self.device)
                for i, row in zip(chunk, self._pool(enc)):
                    rows[i] = row
            for i in long:
                rows[i] = self._embed_windows(texts[i])
        out = [rows[i] for i in range(len(texts))]
        return np.stack(out).astype(np.float32) if out else np.zeros((0, self.hidden_size), np.float32)

    def _pool(self, enc) -> np.ndarray:
        hidden = self.run(enc["input_ids"], enc["attention_mask"], enc.get("token_type_ids")).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)          # (B, T, 1)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if self.normalize:
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.float().cpu().numpy()

    def token_counts(self, texts: list[str]) -> list[int]:
        """Tokens of each text as the model reads it (special tokens included), before any cut."""
        enc = self.tokenizer(list(texts), truncation=False, verbose=False)
        return [len(ids) for ids in enc["input_ids"]]

    def _embed_windows(self, text: str) -> np.ndarray:
        """The length-weighted mean of the pooled embeddings of consecutive windows of the text."""
        enc = self.tokenizer(text, truncation=True, max_length=self.max_length, return_overflowing_tokens=True,
                             padding=True, return_tensors="pt", verbose=False)
        enc = {k: enc[k].to(self.device) for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc}
        parts = self._pool(enc)
        weights = enc["attention_mask"].sum(1).float().cpu().numpy()
        mean = np.average(parts, axis=0, weights=weights)
        if self.normalize:
            mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return mean.astype(np.float32)

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

    # --- attention (engine.contract.attention) -----------------------------------------------
    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        """The attention probe's pass over a text (or a BERT pair); with `generate`, over the
        prompt plus that many greedily generated tokens."""
        text, pair = text_and_pair(inp)
        limit = None
        if generate:
            limit = self.max_tokens - generate
            if limit < 1:
                raise InputError(f"cannot generate {generate} tokens: the model has only {self.max_tokens} positions.")
        enc = self.encode(text, pair, limit)
        ids, types, tokens, note, prompt_length = enc.input_ids, enc.token_type_ids, enc.tokens, enc.note, None
        if generate:
            prompt_length = int(ids.shape[1])
            ids, types = self.generate(ids, generate), None
            tokens = self.display_tokens(ids[0])
            if enc.truncated:
                note = (f"The prompt has {enc.n_tokens} tokens; only the first {enc.limit} are kept, leaving room for "
                        f"{generate} generated tokens within the model's {self.max_tokens} positions.")
        seq = SequenceInfo("tokens", tokens, segments=None if generate else enc.segments)
        return self._pass(ids, types, {"tokens": seq}, enc.truncated, note, prompt_length)

    def _pass(self, ids, types, sequences, truncated, note, prompt_length) -> AttentionPass:
        raise ModelError(f"{type(self).__name__} cannot record attention")

    def generate(self, input_ids: torch.Tensor, n: int) -> torch.Tensor:
        raise ModelError(f"model '{self.name}' cannot generate")


@dataclass
class BlocksTextModel(TextTransformer):
    """A text transformer running on the project's blocks (`engine.models`), so every attention
    step can be recorded through hook points."""

    net: nn.Module | None = None

    def run(self, input_ids, attention_mask=None, token_type_ids=None, hidden=False) -> TransformerOutput:
        with net_lock(self.net):
            if self.causal:
                return self.net(input_ids, attention_mask, output_hidden_states=hidden, logits=False)
            return self.net(input_ids, attention_mask, token_type_ids, output_hidden_states=hidden)

    def _pass(self, ids, types, sequences, truncated, note, prompt_length) -> AttentionPass:
        return AttentionPass(net=self.net, run=lambda: self.run(ids, None, types), sequences=sequences,
                             truncated=truncated, note=note, prompt_length=prompt_length)

    @property
    def hidden_size(self) -> int:
        return int(self.net.cfg.d_model)

    def step_model(self):
        """The shared decoders' view of this causal model: next-token logits with a key/value cache."""
        self.require(Capability.GENERATE)
        from engine.decoding import CachedLM

        def forward(ids, cache):
            with net_lock(self.net):
                return self.net(ids, cache=cache).logits

        return CachedLM(forward, self.net.new_cache)

    def generate(self, input_ids: torch.Tensor, n: int) -> torch.Tensor:
        """Greedy decoding (engine.decoding.greedy): append the most likely next token `n` times.
        (1, T) -> (1, T + n)."""
        from engine.decoding import greedy

        new = greedy(self.step_model(), input_ids, n)
        return torch.cat([input_ids, torch.tensor([new.ids], dtype=input_ids.dtype, device=input_ids.device)], dim=1)


def text_and_pair(inp) -> tuple[str, str | None]:
    """(text, sentence B or None) of a text or text-pair probe input."""
    if isinstance(inp, TextPair):
        return inp.first, inp.second
    if isinstance(inp, TextInput):
        return inp.text, None
    if isinstance(inp, str):
        return inp, None
    raise InputError(f"a text model takes text, not {getattr(inp, 'kind', type(inp).__name__)} input.")


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
