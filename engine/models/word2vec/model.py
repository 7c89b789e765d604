"""word2vec (Mikolov et al. 2013): skip-gram and CBOW with negative sampling.

The lecture's picture: a one-hot input (1 x V) times W1 (V x N) selects one row, the hidden
layer h (1 x N) — that row is the word's embedding; W2 (N x V) maps h back to a score for every
word of the vocabulary. Here W1 is `in_vectors` (V, N) and W2 is stored transposed as
`out_vectors` (V, N), so scores = h @ out_vectors.T.

Training follows word2vec and gensim: for each window, the context words' W1 rows predict the
centre word's W2 row against `negative` noise words (skip-gram), or their mean does (CBOW).

On a CPU with a C++ compiler (the default, `fused=True`) a step runs word2vec's own per-pair SGD
in a compiled kernel (engine/models/word2vec/fused.py, kernel.cpp). Otherwise (CUDA,
no compiler, `fused=False`) it runs the pure-torch batched form below, which shares a window's
noise words between its pairs (as in Ji et al., "Parallelizing Word2Vec in Shared and
Distributed Memory", 2016), computes all windows of a batch with two batched matmuls, and
returns *sparse* gradients touching only the rows in the batch.

Two deliberate departures from autograd, both documented where they happen (`_backward_rows`):
  * word2vec's learning rate is per pair, so the gradient returned is that of the summed loss
    (times the incoming gradient), while the loss reported is the mean over pairs;
  * a batch sums many updates into the rows of frequent words, which plain SGD would apply one
    after the other, each seeing the previous ones; a row whose summed step would overshoot —
    lr * (its summed curvature sigma(1 - sigma) |x|^2) above 1, i.e. beyond the Gauss-Newton
    step — is scaled back to that step (divided by damping * lr * curvature). Rows touched a
    few times keep exactly word2vec's update, so big batches stay as stable as one-pair updates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from engine.models.word2vec.thread_pool import parallel_map as _map

ARCHS = ("skipgram", "cbow")


@dataclass
class Word2VecConfig:
    """Model and data settings (gensim's names in brackets). The learning rate is `mlsp train --lr`."""

    arch: Literal["skipgram", "cbow"] = "skipgram"    # (sg=1 / sg=0)
    dim: int = 100                  # N, the embedding size (vector_size)
    window: int = 5                 # max context words on each side (window)
    negative: int = 5               # noise words per pair (negative)
    min_count: int = 5              # rarer words are dropped (min_count)
    sample: float = 1e-3            # sub-sampling threshold of frequent words, 0 = off (sample)
    ns_exponent: float = 0.75       # noise distribution = unigram ** ns_exponent (ns_exponent)
    max_vocab: int = 0              # keep only the most frequent words, 0 = all (max_final_vocab)
    span: int = 1000                # tokens per dataset item; --batch-size counts items
    damping: float = 1.0            # cap summed row updates at 1/(damping * curvature), 0 = plain SGD
    threads: int = 0                # threads (kernel shards, or torch workers) of a step, 0 = torch.get_num_threads() (workers)
    fused: bool = True              # per-pair SGD in the compiled kernel when it builds (CPU); False = pure torch
    hogwild: bool = False           # kernel threads write shared rows directly, like gensim: faster, not reproducible

    def __post_init__(self) -> None:
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be skipgram or cbow, got {self.arch!r}")
        for key in ("dim", "window", "negative", "min_count", "span"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be at least 1")
        if self.sample < 0 or self.damping < 0 or self.max_vocab < 0 or self.threads < 0:
            raise ValueError("sample, damping, max_vocab and threads must be >= 0")
        if self.negative > 1000:
            raise ValueError("negative must be at most 1000")
        if not 0 <= self.ns_exponent <= 1:
            raise ValueError("ns_exponent must be between 0 and 1")


class Word2Vec(nn.Module):
    """W1 (`in_vectors`, V x N) and W2 (`out_vectors`, V x N); `forward(batch)` is the mean loss."""

    def __init__(self, vocab_size: int, config: Word2VecConfig) -> None:
        super().__init__()
        self.config = config
        dim = config.dim
        # gensim 4's initialisation: W1 uniform in [-1/N, 1/N] (twice word2vec.c's range, which
        # learns visibly slower on small corpora), W2 zero.
        self.in_vectors = nn.Parameter((torch.rand(vocab_size, dim) * 2 - 1) / dim)
        self.out_vectors = nn.Parameter(torch.zeros(vocab_size, dim))
        self.update_lr = 0.025            # the current learning rate, set by the task before each step
        self.fused = None                 # a word2vec_fused.FusedTrainer when the task uses the kernel

    @property
    def vocab_size(self) -> int:
        return int(self.in_vectors.shape[0])

    def forward(self, groups) -> torch.Tensor:
        """groups of windows (contexts (L, M), mask (L, M), centers (L,), negatives (L, K)) -> mean loss over
        pairs; or a word2vec_fused.TokenRunBatch for the kernel (which updates the weights in place)."""
        if not isinstance(groups, list):
            from engine.models.word2vec.fused import FusedStep

            if self.fused is None:
                raise RuntimeError("a TokenRunBatch needs the fused kernel (model.fused) attached by the task")
            return FusedStep.apply(self.in_vectors, self.out_vectors, groups, self.fused, float(self.update_lr))
        pieces = [(c, m, torch.cat([w.unsqueeze(1), n], dim=1)) for c, m, w, n in groups]
        threads = self.config.threads or torch.get_num_threads()
        if self.in_vectors.device.type == "cuda":
            threads = 1
        pieces = _split(pieces, threads)
        fn = _SkipGram if self.config.arch == "skipgram" else _CBOW
        return fn.apply(self.in_vectors, self.out_vectors, pieces, float(self.update_lr),
                        float(self.config.damping), threads)

    def hidden(self, word: int) -> torch.Tensor:
        """h = one_hot(word) @ W1: the word's row of W1, (N,)."""
        return self.in_vectors[word]

    def output_scores(self, h: torch.Tensor) -> torch.Tensor:
        """h @ W2 -> (V,) score of every word (softmax gives the lecture's output layer)."""
        return self.out_vectors @ h


# ---- the batch's pieces, run side by side on worker threads (engine.models.word2vec.thread_pool) ----------

def _split(pieces: list, parts: int) -> list:
    """Pieces cut so that there are at least `parts` of them, the biggest cut first."""
    pieces = list(pieces)
    while 0 < len(pieces) < parts:
        pieces.sort(key=lambda p: p[0].numel())
        c, m, o = pieces.pop()
        h = len(c) // 2
        if h == 0:
            pieces.append((c, m, o))
            break
        pieces += [(c[:h], m[:h], o[:h]), (c[h:], m[h:], o[h:])]
    return pieces


def _pair_loss(scores: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """scores (..., K+1) with the true word first -> (sigmoid(scores), summed loss over valid pairs)."""
    f = torch.nn.functional
    loss = -(f.logsigmoid(scores[..., 0]) + f.logsigmoid(-scores[..., 1:]).sum(-1))
    return torch.sigmoid(scores), (loss * valid).sum()


def _row_totals(index: torch.Tensor, values: torch.Tensor, rows: int) -> torch.Tensor:
    """(rows,) sum of `values` per row named by `index` (same shapes)."""
    return torch.zeros(rows, dtype=values.dtype, device=values.device).index_add_(0, index.reshape(-1), values.reshape(-1))


def _scales(totals: list[torch.Tensor], factor: float) -> torch.Tensor:
    """(rows,) 1 / max(1, factor * each row's curvature summed over all pieces)."""
    return 1.0 / torch.clamp(factor * torch.stack(totals).sum(0), min=1.0)


def _buffers(pieces: list, w_in: torch.Tensor, w_out: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, list]:
    """Value buffers of the two sparse gradients, and each piece's (in, out) row offsets."""
    n_in = sum(c.numel() for c, _, _ in pieces)
    n_out = sum(o.numel() for _, _, o in pieces)
    offsets, a, b = [], 0, 0
    for c, _, o in pieces:
        offsets.append((a, b))
        a, b = a + c.numel(), b + o.numel()
    return w_in.new_empty(n_in, w_in.shape[1]), w_out.new_empty(n_out, w_out.shape[1]), offsets


def _sparse_grads(pieces: list, w_in, w_out, g_in, g_out) -> tuple[torch.Tensor, torch.Tensor]:
    idx_in = torch.cat([c.reshape(-1) for c, _, _ in pieces]) if pieces else w_in.new_zeros(0, dtype=torch.long)
    idx_out = torch.cat([o.reshape(-1) for _, _, o in pieces]) if pieces else idx_in
    return _sparse(idx_in, g_in, w_in.shape), _sparse(idx_out, g_out, w_out.shape)


def _backward(ctx, gradient, apply, g_in: torch.Tensor, g_out: torch.Tensor) -> tuple:
    """The shared end of both backward passes: `gradient(k)` -> (G, in curvature, out curvature)
    per piece, the damping scales from all pieces' curvatures (None without damping), then
    `apply(k, G, scale_in, scale_out)` writes piece k's rows into `g_in` / `g_out`."""
    pieces = ctx.pieces
    parts = _map(gradient, list(range(len(pieces))), ctx.threads)
    scale_in = scale_out = None
    if ctx.damping > 0:
        f = ctx.damping * ctx.lr
        scale_in = _scales([t for _, t, _ in parts], f)
        scale_out = _scales([t for _, _, t in parts], f)
    _map(lambda k: apply(k, parts[k][0], scale_in, scale_out), list(range(len(pieces))), ctx.threads)
    ctx.saved = None
    w_in, w_out = ctx.w
    return (*_sparse_grads(pieces, w_in, w_out, g_in, g_out), None, None, None, None)


def _sparse(index: torch.Tensor, values: torch.Tensor, shape: torch.Size) -> torch.Tensor:
    return torch.sparse_coo_tensor(index.reshape(1, -1), values.reshape(-1, shape[1]), shape,
                                   check_invariants=False, is_coalesced=False)


class _SkipGram(torch.autograd.Function):
    """Every (context, centre) pair of a window; the window's noise words are shared by its pairs."""

    @staticmethod
    def forward(ctx, w_in, w_out, pieces, lr, damping, threads):
        def run(piece):
            c, m, o = piece
            H = w_in.index_select(0, c.reshape(-1)).view(*c.shape, -1)      # (L, M, N) context rows of W1
            O = w_out.index_select(0, o.reshape(-1)).view(*o.shape, -1)     # (L, K+1, N) centre + noise rows of W2
            sig, loss = _pair_loss(torch.bmm(H, O.transpose(1, 2)), m)      # scores (L, M, K+1)
            return H, O, sig, loss, m.sum()

        out = _map(run, pieces, threads)
        ctx.pieces, ctx.saved = pieces, [(H, O, sig) for H, O, sig, _, _ in out]
        ctx.w, ctx.lr, ctx.damping, ctx.threads = (w_in, w_out), lr, damping, threads
        pairs = sum(n for *_, n in out) if out else w_in.new_zeros(())
        total = sum(loss for _, _, _, loss, _ in out) if out else w_in.new_zeros(())
        return total / torch.clamp(pairs, min=1)

    @staticmethod
    def backward(ctx, grad):
        w_in, w_out = ctx.w
        pieces, saved, damp = ctx.pieces, ctx.saved, ctx.damping > 0
        g_in, g_out, offsets = _buffers(pieces, w_in, w_out)

        def gradient(k):
            (c, m, o), (H, O, sig) = pieces[k], saved[k]
            mf = m.to(sig.dtype).unsqueeze(2)
            G = sig.clone()
            G[..., 0] -= 1.0                                    # d loss / d score = sigmoid - label
            G *= mf * grad                                      # summed loss: per-pair lr, see module doc
            if not damp:
                return G, None, None
            w = sig * (1 - sig) * mf                            # curvature of each pair's logistic loss
            curv_in = (w * (O * O).sum(2).unsqueeze(1)).sum(2)  # (L, M)
            curv_out = (w * (H * H).sum(2).unsqueeze(2)).sum(1)  # (L, K+1)
            return G, _row_totals(c, curv_in, w_in.shape[0]), _row_totals(o, curv_out, w_out.shape[0])

        def apply(k, G, scale_in, scale_out):
            (c, _, o), (H, O, _) = pieces[k], saved[k]
            a, b = offsets[k]
            G_in = G * scale_in[c].unsqueeze(2) if damp else G
            G_out = G * scale_out[o].unsqueeze(1) if damp else G
            torch.bmm(G_in, O, out=g_in[a:a + c.numel()].view(*c.shape, -1))               # (L, M, N)
            torch.bmm(G_out.transpose(1, 2), H, out=g_out[b:b + o.numel()].view(*o.shape, -1))  # (L, K+1, N)

        return _backward(ctx, gradient, apply, g_in, g_out)


class _CBOW(torch.autograd.Function):
    """The mean of a window's context rows predicts its centre word against the noise words."""

    @staticmethod
    def forward(ctx, w_in, w_out, pieces, lr, damping, threads):
        def run(piece):
            c, m, o = piece
            mf = m.to(w_in.dtype)
            count = mf.sum(1, keepdim=True)                                 # (L, 1)
            H = w_in.index_select(0, c.reshape(-1)).view(*c.shape, -1)
            h = torch.bmm(mf.unsqueeze(1), H).squeeze(1) / count.clamp(min=1)   # (L, N) mean context row
            O = w_out.index_select(0, o.reshape(-1)).view(*o.shape, -1)     # (L, K+1, N)
            valid = (count.squeeze(1) > 0).to(w_in.dtype)
            sig, loss = _pair_loss(torch.bmm(O, h.unsqueeze(2)).squeeze(2), valid)
            return h, O, sig, valid, loss

        out = _map(run, pieces, threads)
        ctx.pieces, ctx.saved = pieces, [(h, O, sig, valid) for h, O, sig, valid, _ in out]
        ctx.w, ctx.lr, ctx.damping, ctx.threads = (w_in, w_out), lr, damping, threads
        windows = sum(v.sum() for _, _, _, v, _ in out) if out else w_in.new_zeros(())
        total = sum(loss for *_, loss in out) if out else w_in.new_zeros(())
        return total / torch.clamp(windows, min=1)

    @staticmethod
    def backward(ctx, grad):
        w_in, w_out = ctx.w
        pieces, saved, damp = ctx.pieces, ctx.saved, ctx.damping > 0
        g_in, g_out, offsets = _buffers(pieces, w_in, w_out)

        def gradient(k):
            (c, m, o), (h, O, sig, valid) = pieces[k], saved[k]
            G = sig.clone()
            G[:, 0] -= 1.0
            G *= valid.unsqueeze(1) * grad                      # (L, K+1), summed-loss semantics
            if not damp:
                return G, None, None
            w = sig * (1 - sig) * valid.unsqueeze(1)
            mf = m.to(G.dtype)
            curv_out = w * (h * h).sum(1, keepdim=True)         # (L, K+1)
            curv_in = (w * (O * O).sum(2)).sum(1, keepdim=True) * mf / mf.sum(1, keepdim=True).clamp(min=1)
            return G, _row_totals(c, curv_in, w_in.shape[0]), _row_totals(o, curv_out, w_out.shape[0])

        def apply(k, G, scale_in, scale_out):
            (c, m, o), (h, O, _, _) = pieces[k], saved[k]
            a, b = offsets[k]
            dh = torch.bmm(G.unsqueeze(1), O).squeeze(1)                    # (L, N)
            s_in = m.to(G.dtype) * scale_in[c] if damp else m.to(G.dtype)
            G_out = G * scale_out[o] if damp else G
            # gensim (cbow_mean=1): every context word gets the whole dh
            torch.mul(s_in.unsqueeze(2), dh.unsqueeze(1), out=g_in[a:a + c.numel()].view(*c.shape, -1))
            torch.mul(G_out.unsqueeze(2), h.unsqueeze(1), out=g_out[b:b + o.numel()].view(*o.shape, -1))

        return _backward(ctx, gradient, apply, g_in, g_out)
