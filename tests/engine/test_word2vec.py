"""word2vec's pieces against references: windows against a brute-force enumeration, sub-sampling
and the noise distribution against gensim's own tables, the custom backward against autograd on
the plain summed loss (skip-gram and CBOW, one or two worker threads), the damping against a
direct computation, SparseSGD against dense SGD."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.models.word2vec.data import TokenStream, Vocabulary, build_vocabulary, encode, make_sampler, make_windows
from engine.models.word2vec.model import Word2Vec, Word2VecConfig
from engine.models.word2vec.sparse_sgd import SparseSGD

SENTENCES = [["a", "b", "c", "d", "e", "f", "g"], ["h", "a", "b"], ["c", "d", "e", "f", "g", "h", "a", "b", "c"]]


def _stream(sentences=SENTENCES) -> tuple[Vocabulary, TokenStream]:
    vocab = build_vocabulary(sentences, min_count=1)
    return vocab, encode(sentences, vocab)


@pytest.mark.parametrize("window", [1, 2, 4])
def test_windows_match_brute_force(window):
    vocab, stream = _stream()
    sampler = make_sampler(vocab.counts, sample=0.0, exponent=0.75)             # keep every word
    groups, words = make_windows(stream, [0], span=len(stream.ids), window=window, negative=3,
                                 sampler=sampler, rng=np.random.default_rng(0))
    assert words == len(stream.ids)
    seen = set()
    for g in groups:
        m = g.contexts.shape[1] // 2
        for row in range(len(g.centers)):
            p, b = int(g.positions[row]), int(g.reach[row])
            seen.add(p)
            assert g.centers[row] == stream.ids[p] and 1 <= b <= m <= window
            want = [q for q in range(p - b, p + b + 1)
                    if q != p and 0 <= q < len(stream.ids) and stream.sentence[q] == stream.sentence[p]]
            got = sorted(p + off for off, ok in zip([*range(-m, 0), *range(1, m + 1)], g.mask[row]) if ok)
            assert got == want
            assert sorted(g.contexts[row][g.mask[row]]) == sorted(stream.ids[want])
        assert g.negatives.shape == (len(g.centers), 3)
    assert seen == set(range(len(stream.ids)))                                  # every word is a centre once


def test_spans_lose_no_pair_at_their_edges():
    vocab, stream = _stream()
    sampler = make_sampler(vocab.counts, sample=0.0, exponent=0.75)
    whole, _ = make_windows(stream, [0], 100, 3, 2, sampler, np.random.default_rng(1))
    cut, words = make_windows(stream, [0, 5, 10, 15], 5, 3, 2, sampler, np.random.default_rng(1))
    assert words == len(stream.ids)
    for groups in (whole, cut):
        assert sorted(int(p) for g in groups for p in g.positions) == list(range(len(stream.ids)))
    # a centre near a span edge still sees the words of the next span (same line)
    reach = {int(p): int(b) for g in cut for p, b in zip(g.positions, g.reach)}
    for g in cut:
        for row, p in enumerate(g.positions):
            p = int(p)
            want = [q for q in range(p - reach[p], p + reach[p] + 1)
                    if q != p and 0 <= q < len(stream.ids) and stream.sentence[q] == stream.sentence[p]]
            assert int(g.mask[row].sum()) == len(want)


def test_subsampling_and_noise_match_gensim():
    gensim = pytest.importorskip("gensim")
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(60)]
    freq = 1.0 / np.arange(1, 61) ** 1.1
    sentences = [list(rng.choice(words, size=40, p=freq / freq.sum())) for _ in range(400)]
    model = gensim.models.Word2Vec(vector_size=8, min_count=1, sample=1e-3, negative=5, ns_exponent=0.75, workers=1)
    model.build_vocab(sentences)
    vocab = build_vocabulary(sentences, min_count=1)
    sampler = make_sampler(vocab.counts, sample=1e-3, exponent=0.75)
    for i, w in enumerate(vocab.words):
        assert vocab.counts[i] == model.wv.get_vecattr(w, "count")
        keep = model.wv.get_vecattr(w, "sample_int") / 2**32
        assert sampler.keep[i] == pytest.approx(min(keep, 1.0), abs=1e-6)
    order = [model.wv.key_to_index[w] for w in vocab.words]
    gensim_cdf = model.cum_table / model.cum_table[-1]
    gensim_p = np.diff(np.concatenate([[0.0], gensim_cdf]))[order]
    ours_p = np.diff(np.concatenate([[0.0], sampler.noise_cdf]))
    np.testing.assert_allclose(ours_p, gensim_p, rtol=1e-6, atol=1e-9)
    from engine.models.word2vec.data import NOISE_TABLE

    table_p = np.bincount(sampler.noise_table, minlength=len(vocab)) / NOISE_TABLE   # what draws really follow
    np.testing.assert_allclose(table_p, gensim_p, rtol=0, atol=2.0 / NOISE_TABLE)


def _batch(arch_window=3, seed=0, n=400):
    rng = np.random.default_rng(seed)
    sentences = [[f"w{int(x)}" for x in rng.zipf(1.5, size=12) % 30] for _ in range(n // 12)]
    vocab, stream = _stream(sentences)
    sampler = make_sampler(vocab.counts, sample=0.0, exponent=0.75)
    groups, _ = make_windows(stream, [0], len(stream.ids), arch_window, 4, sampler, rng)
    return len(vocab), [(torch.from_numpy(g.contexts), torch.from_numpy(g.mask), torch.from_numpy(g.centers),
                         torch.from_numpy(g.negatives)) for g in groups]


def _reference_loss(model: Word2Vec, groups, arch: str) -> torch.Tensor:
    """The summed negative-sampling loss written plainly, for autograd."""
    f = torch.nn.functional
    total = 0.0
    for c, m, w, neg in groups:
        out = torch.cat([w.unsqueeze(1), neg], 1)
        O = model.out_vectors[out]                                        # (L, K+1, N)
        H = model.in_vectors[c]                                           # (L, M, N)
        if arch == "skipgram":
            s = torch.einsum("lmn,lkn->lmk", H, O)
            valid = m.float()
        else:
            mf = m.float()
            h = (H * mf.unsqueeze(2)).sum(1) / mf.sum(1, keepdim=True).clamp(min=1)
            s = torch.einsum("ln,lkn->lk", h, O)
            valid = (mf.sum(1) > 0).float()
        loss = -(f.logsigmoid(s[..., 0]) + f.logsigmoid(-s[..., 1:]).sum(-1))
        total = total + (loss * valid).sum()
    return total


@pytest.mark.parametrize("arch", ["skipgram", "cbow"])
@pytest.mark.parametrize("threads", [1, 2])
def test_backward_is_the_gradient_of_the_summed_loss(arch, threads):
    V, groups = _batch()
    torch.manual_seed(0)
    cfg = Word2VecConfig(arch=arch, dim=12, window=3, negative=4, damping=0.0, threads=threads)
    model = Word2Vec(V, cfg)
    with torch.no_grad():
        model.out_vectors.normal_(0, 0.3)
    ref = Word2Vec(V, cfg)
    ref.load_state_dict(model.state_dict())
    loss = model(groups)
    loss.backward()
    total = _reference_loss(ref, groups, arch)
    total.backward()
    if arch == "skipgram":
        pairs = sum(int(m.sum()) for _, m, _, _ in groups)
    else:
        pairs = sum(int((m.sum(1) > 0).sum()) for _, m, _, _ in groups)
    assert float(loss.detach()) == pytest.approx(float(total.detach()) / pairs, rel=1e-5)          # the loss reported is the mean
    if arch == "cbow":
        # gensim's CBOW (cbow_mean=1) gives every context word the whole error, not error / count
        counts = [m.float().sum(1, keepdim=True).clamp(min=1) for _, m, _, _ in groups]
        expect_in = torch.zeros_like(ref.in_vectors)
        for (c, m, w, neg), cnt in zip(groups, counts):
            out = torch.cat([w.unsqueeze(1), neg], 1)
            h = (ref.in_vectors[c] * m.float().unsqueeze(2)).sum(1) / cnt
            s = torch.einsum("ln,lkn->lk", h, ref.out_vectors[out])
            g = torch.sigmoid(s)
            g[:, 0] -= 1
            dh = torch.einsum("lk,lkn->ln", g * (m.sum(1) > 0).float().unsqueeze(1), ref.out_vectors[out])
            expect_in.index_add_(0, c.reshape(-1), (dh.unsqueeze(1) * m.float().unsqueeze(2)).reshape(-1, cfg.dim))
        got_in = model.in_vectors.grad.to_dense()
        torch.testing.assert_close(got_in, expect_in.detach(), rtol=1e-4, atol=1e-5)
    else:
        torch.testing.assert_close(model.in_vectors.grad.to_dense(), ref.in_vectors.grad, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(model.out_vectors.grad.to_dense(), ref.out_vectors.grad, rtol=1e-4, atol=1e-5)


def test_damping_caps_each_row_at_its_gauss_newton_step():
    V, groups = _batch(seed=3)
    torch.manual_seed(1)
    plain = Word2Vec(V, Word2VecConfig(dim=10, window=3, negative=4, damping=0.0, threads=1))
    with torch.no_grad():
        plain.out_vectors.normal_(0, 0.2)
        plain.in_vectors.normal_(0, 0.2)
    damped = Word2Vec(V, Word2VecConfig(dim=10, window=3, negative=4, damping=2.0, threads=2))
    damped.load_state_dict(plain.state_dict())
    plain.update_lr = damped.update_lr = 0.05
    plain(groups).backward()
    damped(groups).backward()
    w_in, w_out = plain.in_vectors.detach(), plain.out_vectors.detach()
    curv_in, curv_out = torch.zeros(V), torch.zeros(V)
    for c, m, w, neg in groups:                                   # one (context, output) pair at a time
        out = torch.cat([w.unsqueeze(1), neg], 1)
        for i in range(c.shape[0]):
            for j in range(c.shape[1]):
                if not m[i, j]:
                    continue
                for k in range(out.shape[1]):
                    s = torch.sigmoid(w_in[c[i, j]] @ w_out[out[i, k]])
                    curv_in[c[i, j]] += s * (1 - s) * (w_out[out[i, k]] ** 2).sum()
                    curv_out[out[i, k]] += s * (1 - s) * (w_in[c[i, j]] ** 2).sum()
    expect_in = plain.in_vectors.grad.to_dense() / torch.clamp(2.0 * 0.05 * curv_in, min=1).unsqueeze(1)
    expect_out = plain.out_vectors.grad.to_dense() / torch.clamp(2.0 * 0.05 * curv_out, min=1).unsqueeze(1)
    capped = (2.0 * 0.05 * curv_out > 1).sum()
    assert 0 < capped < (curv_out > 0).sum()                  # some rows are scaled back, others are not
    torch.testing.assert_close(damped.in_vectors.grad.to_dense(), expect_in, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(damped.out_vectors.grad.to_dense(), expect_out, rtol=1e-4, atol=1e-6)


def test_sparse_sgd_equals_dense_sgd():
    torch.manual_seed(0)
    w = torch.nn.Parameter(torch.randn(20, 5))
    dense = torch.nn.Parameter(w.detach().clone())
    rows = torch.tensor([3, 7, 3, 19, 0, 3])
    values = torch.randn(6, 5)
    w.grad = torch.sparse_coo_tensor(rows.unsqueeze(0), values, (20, 5), check_invariants=False)
    dense.grad = w.grad.to_dense()
    SparseSGD([w], lr=0.1).step()
    torch.optim.SGD([dense], lr=0.1).step()
    torch.testing.assert_close(w.detach(), dense.detach())


def test_config_refuses_bad_values():
    for bad in (dict(arch="glove"), dict(dim=0), dict(window=0), dict(sample=-1.0), dict(ns_exponent=2.0),
                dict(negative=1001)):
        with pytest.raises(ValueError):
            Word2VecConfig(**bad)
