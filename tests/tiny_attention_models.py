"""Tiny models built by the tests to prove the attention contract on modules other than a text
encoder's self-attention: an LSTM with attention pooling over audio frames, an LSTM
encoder-decoder with additive attention (called once per decoder step), and a Transformer
encoder-decoder (encoder, masked decoder self-attention and cross-attention, decoded with the
shared beam search through a key/value cache). Each is a LoadedModel that implements
`attention_pass`, and `register_tiny(monkeypatch)` adds registry entries for them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from engine.contract.attention import AttentionPass
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.loaded import LoadedModel
from engine.contract.spec import ModelSpec
from engine.models.attention_pooling import AttentionPooling
from engine.models.rnn_attention import RecurrentAttention
from engine.models.transformer import BlockConfig, TransformerStack
from engine.records.attention import SequenceInfo

FRAME = 160                                    # samples per frame (10 ms at 16 kHz)
SRC = ["<pad>", "i", "am", "a", "student", "the", "cat", "sat"]
TGT = ["<bos>", "<eos>", "je", "suis", "étudiant", "le", "chat", "assis", "un"]


class TinyLSTMPool(nn.Module):
    """(B, T, F) frames -> biLSTM -> attention pooling -> class logits."""

    def __init__(self, n_feats: int = 4, hidden: int = 6, classes: int = 3) -> None:
        super().__init__()
        self.lstm = nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True)
        self.pool = AttentionPooling(2 * hidden, 5)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(frames)
        return self.head(self.pool(h))


def frames_of(samples: np.ndarray) -> torch.Tensor:
    """(1, T, 4) features per 160-sample frame: mean, std, max, min (tiny but real)."""
    n = len(samples) // FRAME
    x = torch.from_numpy(np.asarray(samples[:n * FRAME], np.float32).reshape(n, FRAME))
    return torch.stack([x.mean(1), x.std(1), x.max(1).values, x.min(1).values], dim=1)[None]


class TinySeq2Seq(nn.Module):
    """LSTM encoder, LSTM-cell decoder with additive attention over the encoder states."""

    def __init__(self, hidden: int = 8) -> None:
        super().__init__()
        self.src_emb, self.tgt_emb = nn.Embedding(len(SRC), hidden), nn.Embedding(len(TGT), hidden)
        self.encoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.cell = nn.LSTMCell(2 * hidden, hidden)
        self.attn = RecurrentAttention(hidden, hidden, "additive")
        self.out = nn.Linear(2 * hidden, len(TGT))

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        keys, (h, c) = self.encoder(self.src_emb(src))
        h, c, ctx = h[0], c[0], torch.zeros_like(h[0])
        logits = []
        for t in range(tgt_in.shape[1]):                     # one attention call per output step
            h, c = self.cell(torch.cat([self.tgt_emb(tgt_in[:, t]), ctx], -1), (h, c))
            ctx, _ = self.attn(h, keys)
            logits.append(self.out(torch.cat([h, ctx], -1)))
        return torch.stack(logits, 1)


class TinyTransformerED(nn.Module):
    """A Transformer encoder-decoder on the project's blocks, sequences named source and target."""

    def __init__(self, d: int = 16, heads: int = 2, layers: int = 2) -> None:
        super().__init__()
        cfg = BlockConfig(d, heads, 2 * d, norm_first=True)
        self.src_emb, self.tgt_emb, self.pos = nn.Embedding(len(SRC), d), nn.Embedding(len(TGT), d), nn.Embedding(32, d)
        self.encoder = TransformerStack(cfg, layers, kind="encoder-self", final_norm=True)
        self.decoder = TransformerStack(cfg, layers, kind="causal-self", cross=True, final_norm=True)
        self.out = nn.Linear(d, len(TGT))
        for block in self.encoder.blocks:
            block.attn.query_sequence = block.attn.key_sequence = "source"
        for block in self.decoder.blocks:
            block.attn.query_sequence = block.attn.key_sequence = "target"
            block.cross_attn.query_sequence, block.cross_attn.key_sequence = "target", "source"

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        return self.encoder(self.src_emb(src) + self.pos.weight[: src.shape[1]]).last_hidden_state

    def decode(self, memory: torch.Tensor, tgt_in: torch.Tensor, cache=None) -> torch.Tensor:
        start = cache.length if cache is not None else 0
        x = self.tgt_emb(tgt_in) + self.pos.weight[start: start + tgt_in.shape[1]]
        return self.out(self.decoder(x, memory=memory, cache=cache).last_hidden_state)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(src), tgt_in)


def _ids(words: list[str], vocab: list[str]) -> torch.Tensor:
    return torch.tensor([[vocab.index(w) for w in words]])


@dataclass(eq=False)
class TinyAudioModel(LoadedModel):
    net: Any = None

    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        frames = frames_of(inp.samples)
        times = np.arange(frames.shape[1], dtype=np.float32) * FRAME / inp.sample_rate
        seqs = {"frames": SequenceInfo("frames", [f"{t:.2f} s" for t in times], unit="frame", times=times),
                "pooled": SequenceInfo("pooled", ["l"])}
        return AttentionPass(net=self.net, run=lambda: self.net(frames), sequences=seqs)


@dataclass(eq=False)
class TinyTranslator(LoadedModel):
    """Either tiny encoder-decoder. The target is the one given, or the greedy translation."""

    net: Any = None

    def translate_ids(self, src: torch.Tensor, max_new: int = 6) -> list[int]:
        from engine.decoding import CachedLM, Recompute, greedy

        bos, eos = TGT.index("<bos>"), TGT.index("<eos>")
        if isinstance(self.net, TinyTransformerED):
            memory = self.net.encode(src)
            lm = CachedLM(lambda ids, cache: self.net.decode(memory.expand(ids.shape[0], -1, -1), ids, cache),
                          self.net.decoder.new_cache)
        else:
            lm = Recompute(lambda ids: self.net(src.expand(ids.shape[0], -1), ids))
        return list(greedy(lm, [bos], max_new, eos=eos).ids)

    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        source = inp.source.split()
        src = _ids(source, SRC)
        with torch.inference_mode():
            target = inp.target.split() if inp.target else [TGT[i] for i in self.translate_ids(src)]
        tgt_in = _ids(["<bos>"] + [w for w in target if w != "<eos>"], TGT)
        labels = ["<bos>"] + [w for w in target if w != "<eos>"]
        seqs = {"source": SequenceInfo("source", source), "target": SequenceInfo("target", labels)}
        return AttentionPass(net=self.net, run=lambda: self.net(src, tgt_in), sequences=seqs)


def load_tiny(ref, device) -> LoadedModel:
    torch.manual_seed(0)
    if ref.spec.id == "tiny-lstm-pool":
        return TinyAudioModel(ref=ref, device=device, net=TinyLSTMPool().eval())
    net = TinySeq2Seq() if ref.spec.id == "tiny-seq2seq" else TinyTransformerED()
    return TinyTranslator(ref=ref, device=device, net=net.eval())


SPECS = [
    ModelSpec(id="tiny-lstm-pool", title="tiny LSTM with attention pooling", capabilities={C.ATTENTION},
              inputs=(I.AUDIO,), outputs=(O.ATTENTION,), source="builtin", description="test only",
              loader=f"{__name__}:load_tiny"),
    ModelSpec(id="tiny-seq2seq", title="tiny LSTM encoder-decoder", capabilities={C.ATTENTION},
              inputs=(I.SOURCE_TARGET,), outputs=(O.ATTENTION,), source="builtin", description="test only",
              loader=f"{__name__}:load_tiny"),
    ModelSpec(id="tiny-transformer-ed", title="tiny Transformer encoder-decoder", capabilities={C.ATTENTION},
              inputs=(I.SOURCE_TARGET,), outputs=(O.ATTENTION,), source="builtin", description="test only",
              loader=f"{__name__}:load_tiny"),
]


def register_tiny(monkeypatch) -> None:
    from engine.contract import registry as reg

    reg.registry()
    for spec in SPECS:
        monkeypatch.setitem(reg._REGISTRY, spec.id, spec)
