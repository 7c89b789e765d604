"""The Tasks of the translation models (`mlsp train seq2seq`, `mlsp train nmt-transformer`).

Data: `builtin:en-fr` (default), `builtin:en-fr-small` or a TSV of `english<TAB>french` lines
(engine.data.parallel). The tokenisers (`tokenizers` library, word-level or BPE per language) are
trained on the training split when the dataset is built and saved in every checkpoint
(`src_tokenizer.json`, `tgt_tokenizer.json`). An item is one pair of token-id lists; `collate`
pads a batch: src (B, S) ending in </s>, keep (B, S), tgt_in (B, T) = <s> y, tgt_out (B, T) = y </s>.

Loss: cross-entropy over the target tokens (padding ignored; label smoothing from the config),
items = target tokens. Evaluation: loss on the validation split's first sentences and the BLEU /
chrF of their greedy translations.

The defaults are the shipped presets: `mlsp train nmt-transformer` (2400 steps of 128 pairs, each
pair's positions starting at a random 0..24 while training: `pos_shift`) and `mlsp train seq2seq`
(1000 steps of 128 pairs), then `python -m engine.loaders.translation export RUN assets/NAME`.
Test BLEU 95.8 and 85.8 (greedy, builtin:en-fr test split). nmt-transformer: 7.4 min on an idle
2-core CPU (21 min while three other jobs shared it).
seq2seq: 46 min on a CPU shared with a load average of 15-20.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.data.nmt_tokenizers import BOS, EOS, PAD, NMTTokenizers, train_tokenizers
from engine.errors import InputError
from engine.training.task import LossOutput

DEFAULT_DATA = "builtin:en-fr"


class _Pairs:
    """Map-style dataset of (source ids, target ids)."""

    def __init__(self, src: list[list[int]], tgt: list[list[int]]) -> None:
        self.src, self.tgt = src, tgt

    def __len__(self) -> int:
        return len(self.src)

    def __getitem__(self, i: int):
        return self.src[i], self.tgt[i]


def pad(rows: list[list[int]]):
    import torch

    width = max(1, max(len(r) for r in rows))
    out = torch.full((len(rows), width), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        if r:
            out[i, :len(r)] = torch.tensor(r, dtype=torch.long)
    return out


class TranslationTask:
    """Shared by both families; subclasses say which model to build."""

    name = "translation"
    unit = "tokens"

    def __init__(self, config: Any, data: str | None) -> None:
        from engine.data.parallel import resolve_parallel

        self.config = config
        self.data = data or DEFAULT_DATA
        self.corpus = resolve_parallel(self.data)
        if not self.corpus.train:
            raise InputError(f"{self.data} has no training pairs; give a corpus with more sentences.")
        self.toks: NMTTokenizers | None = None

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 1200, "batch_size": 128, "lr": 2e-3, "warmup_steps": 60, "weight_decay": 0.0}

    def dataset(self) -> _Pairs:
        c = self.config
        self.toks = train_tokenizers(self.corpus.train, c.tokenizer, c.vocab_size, c.min_frequency)
        src, tgt = [], []
        for p in self.corpus.train:
            s, _ = self.toks.encode_source(p.source)
            t = self.toks.encode_target(p.target)
            if len(s) + 1 <= c.max_len and len(t) + 1 <= c.max_len:
                src.append(s)
                tgt.append(t)
        return _Pairs(src, tgt)

    def collate(self, items: list, generator: Any):
        src = pad([s + [EOS] for s, _ in items])
        return {"src": src, "keep": src != PAD, "tgt_in": pad([[BOS] + t for _, t in items]),
                "tgt_out": pad([t + [EOS] for _, t in items])}

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        logits = model(batch["src"], batch["keep"], batch["tgt_in"])
        target = batch["tgt_out"]
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=PAD,
                               label_smoothing=self.config.label_smoothing)
        return LossOutput(loss=loss, items=int((target != PAD).sum()))

    def evaluate(self, model: Any) -> dict[str, float]:
        """Validation loss and greedy BLEU / chrF on the first `eval_sentences` validation pairs."""
        import torch.nn.functional as F

        from engine.loaders.translation_decode import greedy_translate
        from engine.metrics.bleu import corpus_bleu, corpus_chrf

        pairs = [p for p in self.corpus.valid if len(p.source.split()) <= 60][: self.config.eval_sentences]
        if not pairs or self.toks is None:
            return {}
        device = next(model.parameters()).device
        items = [(self.toks.encode_source(p.source)[0], self.toks.encode_target(p.target)) for p in pairs]
        batch = {k: v.to(device) for k, v in self.collate(items, None).items()}
        logits = model(batch["src"], batch["keep"], batch["tgt_in"])
        val_loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), batch["tgt_out"].reshape(-1),
                                   ignore_index=PAD)
        hyps = greedy_translate(model, self.toks, [p.source for p in pairs], device, self.config.max_len)
        refs = [p.target for p in pairs]
        return {"val_loss": float(val_loss), "val_bleu": corpus_bleu(hyps, refs), "val_chrf": corpus_chrf(hyps, refs)}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config)}

    def model_meta(self) -> dict[str, Any]:
        return {"family": self.name, "config": asdict(self.config), "src_vocab": self.toks.src_size,
                "tgt_vocab": self.toks.tgt_size, "data": self.data}

    def save_extra(self, folder: Path) -> None:
        self.toks.save(folder)


class Seq2SeqTask(TranslationTask):
    """`seq2seq`: the recurrent encoder-decoder (attention none | additive | dot)."""

    name = "seq2seq"

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 1000, "batch_size": 128, "lr": 3e-3, "warmup_steps": 50, "weight_decay": 0.0}

    def build_model(self):
        from engine.models.seq2seq import Seq2Seq

        return Seq2Seq(self.config, self.toks.src_size, self.toks.tgt_size)


class NMTTransformerTask(TranslationTask):
    """`nmt-transformer`: the Transformer encoder-decoder on the project's blocks."""

    name = "nmt-transformer"

    def default_hparams(self) -> dict[str, Any]:
        return {"steps": 2400, "batch_size": 128, "lr": 2e-3, "warmup_steps": 60, "weight_decay": 0.0}

    def collate(self, items: list, generator: Any):
        """As the shared collate, plus `shift` (B,): random position starts in 0..pos_shift while
        training (none in evaluation), so that positions past the longest training sentence are
        trained too and the model leans on relative rather than absolute position."""
        import torch

        batch = super().collate(items, generator)
        room = self.config.max_len + 1 - max(batch["src"].shape[1], batch["tgt_in"].shape[1])
        top = min(self.config.pos_shift, room)           # never past the model's position table
        if generator is not None and top > 0:
            batch["shift"] = torch.randint(0, top + 1, (len(items),), generator=generator)
        return batch

    def loss(self, model: Any, batch: Any, generator: Any) -> LossOutput:
        import torch.nn.functional as F

        logits = model(batch["src"], batch["keep"], batch["tgt_in"], batch.get("shift"))
        target = batch["tgt_out"]
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=PAD,
                               label_smoothing=self.config.label_smoothing)
        return LossOutput(loss=loss, items=int((target != PAD).sum()))

    def build_model(self):
        from engine.models.nmt_transformer import NMTTransformer

        return NMTTransformer(self.config, self.toks.src_size, self.toks.tgt_size)
