"""The Task that trains word2vec through the shared trainer (`mlsp train word2vec`).

Data: `builtin:NAME` or a .txt file/folder (engine.data.corpora.resolve_data), tokenised into
lowercase words; the vocabulary keeps words seen `min_count` times. A dataset item is a span of
`span` tokens, so `--batch-size 40` (about the default with the kernel, see `fused_batch`; 2
without) trains on 40,000 words per step; sub-sampling, reduced windows and negatives are drawn
in `collate` from the trainer's generator (a resumed run repeats the uninterrupted one). The
schedule is the trainer's (warm-up 0, cosine from --lr to 0.4 % of it, like word2vec's linear decay to 0.0001/0.025).

Two ways to take a step, chosen once in `make_optimizer`: on a CPU with `fused=True` (default)
and a kernel that builds, `collate` hands the sub-sampled tokens to the compiled per-pair SGD
kernel (engine/models/word2vec/fused.py), which updates the weights inside `loss`; otherwise
`collate` builds windows for the pure-torch batched path, and SparseSGD applies its sparse
gradients. `config_dict()["kernel"]` records which one a run used.

Each checkpoint holds `vocab.tsv` (word, count) beside the weights, and `meta.json` with the
config, so `engine.loaders.word2vec` can rebuild the vectors from any checkpoint.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import ConfigError
from engine.models.word2vec.model import Word2VecConfig
from engine.training.task import LossOutput

DEFAULT_DATA = "builtin:grammar"
MIN_SPAN = 50
MIN_ITEMS = 20
FUSED_BATCH = 40                           # most spans per step when the kernel trains (see fused_batch)


def fused_batch(items: int) -> int:
    """Default spans per step for the kernel: at most FUSED_BATCH (40,000 words, so the copy and
    merge of a deterministic step's rows stay small next to its pairs; gensim's jobs are 10,000
    words but its threads do not merge), at least 8 steps an epoch, and within the upper half of
    that range the size that leaves the fewest spans out at an epoch's end (the trainer drops a
    last partial batch)."""
    top = max(1, min(FUSED_BATCH, items // 8))
    return min(range(max(1, top // 2), top + 1), key=lambda b: (items % b, -b))


@dataclass
class Word2VecBatch:
    """Windows of one step, grouped by reach b (see word2vec_data.make_windows): each group is
    (contexts (L, 2b) int64, mask (L, 2b) bool, centers (L,) int64, negatives (L, K) int64).
    `words` counts the tokens the step covers (before sub-sampling), for words/s."""

    groups: list
    words: int


class Word2VecTask:
    """word2vec for the trainer (see engine/training/task.py for the contract)."""

    name = "word2vec"
    unit = "words"
    autocast = False                       # fp32 only: sparse row updates in bf16 lose small steps
    single_process = "word2vec trains in one process (its sparse updates are not all-reduced); drop --nproc."

    def __init__(self, config: Word2VecConfig, data: str | None) -> None:
        from engine.data.corpora import resolve_data

        self.config = config
        self.data = data or DEFAULT_DATA
        self.corpus = resolve_data(self.data)
        self.vocab = None
        self.stream = None
        self.sampler = None
        self.span = config.span
        self._optimizer = None
        self.kernel = None                 # the loaded fused kernel when this run uses it
        self._dataset = None

    def default_hparams(self) -> dict[str, Any]:
        """With the kernel: steps of up to 40,000 words (`fused_batch`); the pure-torch path: 2,000
        (its damping is tuned for them). The device is not known yet: on a machine with CUDA or MPS
        (which --device auto picks, and where the torch path runs) the default is 2."""
        from engine.devices import resolve_device
        from engine.models.word2vec.kernel import kernel

        fused = self.config.fused and resolve_device("auto").type == "cpu" and kernel() is not None
        batch = fused_batch(len(self.dataset())) if fused else 2
        return {"epochs": 5.0, "batch_size": batch, "lr": 0.025, "grad_clip": 0.0, "weight_decay": 0.0,
                "warmup_steps": 0, "min_lr_ratio": 0.004}

    def dataset(self):
        """The corpus as spans (built once: `default_hparams` needs its size before the trainer asks)."""
        from engine.models.word2vec.data import SpanDataset, make_sampler
        from engine.models.word2vec.stream_cache import vocabulary_and_stream

        if self._dataset is not None:
            return self._dataset
        c = self.config
        self.vocab, self.stream = vocabulary_and_stream(self.corpus, c.min_count, c.max_vocab)
        self.sampler = make_sampler(self.vocab.counts, c.sample, c.ns_exponent)
        n = len(self.stream.ids)
        self.span = max(MIN_SPAN, min(c.span, n // MIN_ITEMS)) if n < c.span * MIN_ITEMS else c.span
        self._dataset = SpanDataset(self.stream, self.span)
        return self._dataset

    def build_model(self):
        from engine.models.word2vec.model import Word2Vec

        if self.vocab is None:
            self.dataset()
        return Word2Vec(len(self.vocab), self.config)

    def make_optimizer(self, model, hp):
        import torch

        from engine.models.word2vec.sparse_sgd import SparseSGD

        if hp.grad_accum != 1:
            raise ConfigError("word2vec applies its updates per pair, so --grad-accum must be 1 (raise --batch-size instead).")
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            raise ConfigError("word2vec trains in one process (its sparse updates are not all-reduced); drop --nproc.")
        cpu = next(model.parameters()).device.type == "cpu"
        threads = (self.config.threads or torch.get_num_threads()) if cpu else 1
        self._optimizer = SparseSGD(model.parameters(), lr=hp.lr, threads=threads)
        if cpu and self.config.fused:
            self._attach_kernel(model, threads)
        return self._optimizer

    def _attach_kernel(self, model, threads: int) -> None:
        from engine.models.word2vec.fused import FusedTrainer
        from engine.models.word2vec.kernel import kernel

        self.kernel = kernel()
        if self.kernel is None:
            return
        c = self.config
        noise = self.kernel.alias(self.vocab.counts.astype(np.float64) ** c.ns_exponent)
        model.fused = FusedTrainer(workspace=self.kernel.workspace(len(self.vocab), c.dim, threads), noise=noise,
                                   negative=c.negative, cbow=c.arch == "cbow", hogwild=c.hogwild)

    def collate(self, items: list, generator: Any) -> Word2VecBatch:
        import torch

        from engine.models.word2vec.data import make_windows

        seed = int(torch.randint(0, 2**62, (1,), generator=generator))
        rng = np.random.default_rng(seed)
        c = self.config
        if self.kernel is not None:
            return self._token_run(list(items), rng)
        groups, words = make_windows(self.stream, list(items), self.span, c.window, c.negative, self.sampler, rng)
        return Word2VecBatch(groups=[(torch.from_numpy(g.contexts), torch.from_numpy(g.mask), torch.from_numpy(g.centers),
                                      torch.from_numpy(g.negatives)) for g in groups], words=words)

    def _token_run(self, starts: list[int], rng: np.random.Generator):
        import torch

        from engine.models.word2vec.data import make_run
        from engine.models.word2vec.fused import TokenRunBatch

        run, words = make_run(self.stream, starts, self.span, self.config.window, self.sampler, rng)
        return TokenRunBatch(tokens=torch.from_numpy(run.tokens), lines=torch.from_numpy(run.lines),
                             centers=torch.from_numpy(run.centers), reach=torch.from_numpy(run.reach),
                             seed=int(rng.integers(0, 2**63)), words=words)

    def loss(self, model: Any, batch: Word2VecBatch, generator: Any) -> LossOutput:
        if self._optimizer is not None:
            model.update_lr = float(self._optimizer.param_groups[0]["lr"])
        loss = model(batch.groups if isinstance(batch, Word2VecBatch) else batch)
        return LossOutput(loss=loss, items=int(batch.words))

    def evaluate(self, model: Any) -> dict[str, float]:
        """Accuracy on the built-in analogies whose words are all in the vocabulary (if any)."""
        from engine.metrics.analogy import analogy_accuracy, builtin_analogies

        vectors = model.in_vectors.detach().float().cpu().numpy()
        score = analogy_accuracy(list(self.vocab.words), vectors, builtin_analogies())
        if score.total == 0:
            return {}
        return {"analogy_accuracy": score.accuracy, "analogy_questions": float(score.total)}

    def config_dict(self) -> dict[str, Any]:
        return {"data": self.data, **asdict(self.config), "kernel": "fused" if self.kernel is not None else "torch"}

    def model_meta(self) -> dict[str, Any]:
        return {"family": "word2vec", "config": asdict(self.config), "data": self.data,
                "vocab_size": len(self.vocab), "corpus_words": int(self.stream.raw_words), "span": self.span}

    def save_extra(self, folder: Path) -> None:
        (Path(folder) / "vocab.tsv").write_text(self.vocab.to_tsv(), encoding="utf-8")

