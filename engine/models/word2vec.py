"""word2vec (Mikolov et al. 2013): skip-gram and CBOW with negative sampling.

The lecture's picture: a one-hot input (1 x V) times W1 (V x N) selects one row, the hidden
layer h (1 x N) — that row is the word's embedding; W2 (N x V) maps h back to a score for every
word of the vocabulary. Here W1 is `in_vectors` (V, N) and W2 is stored transposed as
`out_vectors` (V, N), so scores = h @ out_vectors.T.

Training follows word2vec and gensim: for each window, the context words' W1 rows predict the
centre word's W2 row against `negative` noise words (skip-gram), or their mean does (CBOW).
The batched form shares a window's noise words between its pairs (as in Ji et al., "Parallelizing
Word2Vec in Shared and Distributed Memory", 2016), computes all windows of a batch with two
batched matmuls, and returns *sparse* gradients touching only the rows in the batch.

Two deliberate departures from autograd, both documented where they happen (`_backward_rows`):
  * word2vec's learning rate is per pair, so the gradient returned is that of the summed loss
    (times the incoming gradient), while the loss reported is the mean over pairs;
  * a batch sums many updates into the rows of frequent words, which plain SGD would apply one
    after the other; each row's update is divided by 1 + damping * lr * (its summed curvature
    sigma(1 - sigma) |x|^2), a Gauss-Newton damping that keeps big batches as stable as
    word2vec's one-pair-at-a-time updates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

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
    damping: float = 1.0            # curvature damping of summed row updates, 0 = plain SGD

    def __post_init__(self) -> None:
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be skipgram or cbow, got {self.arch!r}")
        for key in ("dim", "window", "negative", "min_count", "span"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be at least 1")
        if self.sample < 0 or self.damping < 0 or self.max_vocab < 0:
            raise ValueError("sample, damping and max_vocab must be >= 0")
        if not 0 <= self.ns_exponent <= 1:
            raise ValueError("ns_exponent must be between 0 and 1")


class Word2Vec(nn.Module):
    """W1 (`in_vectors`, V x N) and W2 (`out_vectors`, V x N); `forward(batch)` is the mean loss."""

    def __init__(self, vocab_size: int, config: Word2VecConfig) -> None:
        super().__init__()
        self.config = config
        dim = config.dim
        # word2vec's initialisation: W1 uniform in [-0.5/N, 0.5/N], W2 zero.
        self.in_vectors = nn.Parameter((torch.rand(vocab_size, dim) - 0.5) / dim)
        self.out_vectors = nn.Parameter(torch.zeros(vocab_size, dim))
        self.update_lr = 0.025            # the current learning rate, set by the task before each step (damping)

    @property
    def vocab_size(self) -> int:
        return int(self.in_vectors.shape[0])

    def forward(self, contexts: torch.Tensor, mask: torch.Tensor, centers: torch.Tensor,
                negatives: torch.Tensor) -> torch.Tensor:
        """contexts, mask (L, 2w); centers (L,); negatives (L, K) -> mean loss over pairs (scalar)."""
        outputs = torch.cat([centers.unsqueeze(1), negatives], dim=1)          # (L, K+1)
        fn = _SkipGram if self.config.arch == "skipgram" else _CBOW
        return fn.apply(self.in_vectors, self.out_vectors, contexts, mask, outputs,
                        float(self.update_lr), float(self.config.damping))

    def hidden(self, word: int) -> torch.Tensor:
        """h = one_hot(word) @ W1: the word's row of W1, (N,)."""
        return self.in_vectors[word]

    def output_scores(self, h: torch.Tensor) -> torch.Tensor:
        """h @ W2 -> (V,) score of every word (softmax gives the lecture's output layer)."""
        return self.out_vectors @ h


def _pair_loss(scores: torch.Tensor, valid: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """scores (..., K+1) with the true word first -> (sigmoid(scores), mean loss over valid pairs)."""
    f = torch.nn.functional
    loss = -(f.logsigmoid(scores[..., 0]) + f.logsigmoid(-scores[..., 1:]).sum(-1))
    pairs = valid.sum().clamp(min=1)
    return torch.sigmoid(scores), (loss * valid).sum() / pairs


def _sparse(index: torch.Tensor, values: torch.Tensor, shape: torch.Size) -> torch.Tensor:
    return torch.sparse_coo_tensor(index.reshape(1, -1), values.reshape(-1, shape[1]), shape,
                                   check_invariants=False, is_coalesced=False)


def _sq_norms(w: torch.Tensor) -> torch.Tensor:
    """(V,) squared length of every row."""
    return torch.einsum("vn,vn->v", w, w)


def _damp(index: torch.Tensor, curvature: torch.Tensor, rows: int, factor: float) -> torch.Tensor:
    """1 / (1 + factor * summed curvature of each row), gathered back per entry (same shape as index)."""
    total = torch.zeros(rows, dtype=curvature.dtype, device=curvature.device)
    total.index_add_(0, index.reshape(-1), curvature.reshape(-1))
    return (1.0 / (1.0 + factor * total))[index]


class _SkipGram(torch.autograd.Function):
    """Every (context, centre) pair of a window; the window's noise words are shared by its pairs."""

    @staticmethod
    def forward(ctx, w_in, w_out, contexts, mask, outputs, lr, damping):
        L, M = contexts.shape
        H = w_in.index_select(0, contexts.reshape(-1)).view(L, M, -1)      # (L, M, N) context rows of W1
        O = w_out.index_select(0, outputs.reshape(-1)).view(L, outputs.shape[1], -1)  # (L, K+1, N)
        S = torch.bmm(H, O.transpose(1, 2))                     # (L, M, K+1)
        sig, loss = _pair_loss(S, mask)
        ctx.save_for_backward(w_in, w_out, H, O, sig, contexts, mask, outputs)
        ctx.lr, ctx.damping = lr, damping
        return loss

    @staticmethod
    def backward(ctx, grad):
        w_in, w_out, H, O, sig, contexts, mask, outputs = ctx.saved_tensors
        m = mask.to(sig.dtype).unsqueeze(2)
        G = sig.clone()
        G[..., 0] -= 1.0                                        # d loss / d score = sigmoid - label
        G *= m * grad                                           # summed loss: per-pair lr, see module doc
        G_in, G_out = G, G
        if ctx.damping > 0:
            w = sig * (1 - sig) * m                             # curvature of each pair's logistic loss
            f = ctx.damping * ctx.lr
            curv_in = (w * _sq_norms(w_out)[outputs].unsqueeze(1)).sum(2)     # (L, M)
            curv_out = (w * _sq_norms(w_in)[contexts].unsqueeze(2)).sum(1)    # (L, K+1)
            G_in = G * _damp(contexts, curv_in, w_in.shape[0], f).unsqueeze(2)
            G_out = G * _damp(outputs, curv_out, w_out.shape[0], f).unsqueeze(1)
        dH = torch.bmm(G_in, O)                                 # (L, M, N)
        dO = torch.bmm(G_out.transpose(1, 2), H)                # (L, K+1, N)
        return (_sparse(contexts, dH, w_in.shape), _sparse(outputs, dO, w_out.shape),
                None, None, None, None, None)


class _CBOW(torch.autograd.Function):
    """The mean of a window's context rows predicts its centre word against the noise words."""

    @staticmethod
    def forward(ctx, w_in, w_out, contexts, mask, outputs, lr, damping):
        L, M = contexts.shape
        m = mask.to(w_in.dtype)
        count = m.sum(1, keepdim=True)                          # (L, 1)
        valid = count.squeeze(1) > 0
        H = w_in.index_select(0, contexts.reshape(-1)).view(L, M, -1)
        h = torch.bmm(m.unsqueeze(1), H).squeeze(1) / count.clamp(min=1)     # (L, N) mean context row
        O = w_out.index_select(0, outputs.reshape(-1)).view(L, outputs.shape[1], -1)   # (L, K+1, N)
        s = torch.bmm(O, h.unsqueeze(2)).squeeze(2)             # (L, K+1)
        sig, loss = _pair_loss(s, valid)
        ctx.save_for_backward(w_in, w_out, h, O, sig, contexts, mask, outputs, valid)
        ctx.lr, ctx.damping = lr, damping
        return loss

    @staticmethod
    def backward(ctx, grad):
        w_in, w_out, h, O, sig, contexts, mask, outputs, valid = ctx.saved_tensors
        G = sig.clone()
        G[:, 0] -= 1.0
        G *= valid.to(G.dtype).unsqueeze(1) * grad              # (L, K+1), summed-loss semantics
        m = mask.to(G.dtype)
        scale_in, G_out = m, G
        if ctx.damping > 0:
            w = sig * (1 - sig) * valid.to(sig.dtype).unsqueeze(1)
            f = ctx.damping * ctx.lr
            curv_out = w * (h * h).sum(1, keepdim=True)         # (L, K+1)
            curv_in = (w * _sq_norms(w_out)[outputs]).sum(1, keepdim=True) * m / m.sum(1, keepdim=True).clamp(min=1)
            scale_in = m * _damp(contexts, curv_in, w_in.shape[0], f)
            G_out = G * _damp(outputs, curv_out, w_out.shape[0], f)
        dh = torch.bmm(G.unsqueeze(1), O).squeeze(1)            # (L, N)
        dH = scale_in.unsqueeze(2) * dh.unsqueeze(1)            # gensim (cbow_mean=1): each context gets dh
        dO = G_out.unsqueeze(2) * h.unsqueeze(1)                # (L, K+1, N)
        return (_sparse(contexts, dH, w_in.shape), _sparse(outputs, dO, w_out.shape),
                None, None, None, None, None)
