"""The fused word2vec kernel against references: a plain Python per-pair SGD loop (word2vec's and
gensim's inner loop, float64) on the same token run with the same noise draws, single-threaded
and sharded; the alias table against gensim's noise distribution; the token run against the
windows of the pure-torch path; the fallback when no compiler can build the kernel."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.models.word2vec import kernel as wk
from engine.models.word2vec.data import build_vocabulary, encode, make_run, make_sampler, make_windows

M64 = 2**64 - 1


@pytest.fixture(scope="module")
def kernel():
    if wk.compiler() is None:
        pytest.skip("no C++ compiler on this machine: the kernel cannot be built (the fallback test covers it)")
    k = wk.kernel()
    assert k is not None, "a compiler is present but the kernel did not build"
    return k


def _splitmix(x: int) -> tuple[int, int]:
    x = (x + 0x9E3779B97F4A7C15) & M64
    z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return x, z ^ (z >> 31)


class _Noise:
    """The kernel's noise-word stream of shard k, replayed in Python."""

    def __init__(self, table: wk.NoiseTable, seed: int, shard: int) -> None:
        self.table = table
        _, self.x = _splitmix((seed + shard * 0xD1B54A32D192ED03) & M64)

    def draw(self) -> int:
        self.x, z = _splitmix(self.x)
        b = ((z >> 32) * len(self.table.alias)) >> 32
        return b if (z & 0xFFFFFFFF) < int(self.table.threshold[b]) else int(self.table.alias[b])


def _reference(w_in, w_out, run, lo, hi, noise, negative, cbow, lr):
    """word2vec's per-pair SGD over centres lo..hi-1 of `run`, float64, in place; -> (summed loss, count)."""
    loss, count = 0.0, 0
    tok, lines = run.tokens, run.lines
    for ci in range(lo, hi):
        p, b = int(run.centers[ci]), int(run.reach[ci])
        word = int(tok[p])
        ctx = [q for q in range(max(0, p - b), min(len(tok) - 1, p + b) + 1) if q != p and lines[q] == lines[p]]
        pairs = [[int(tok[q])] for q in ctx] if not cbow else ([[int(tok[q]) for q in ctx]] if ctx else [])
        for rows in pairs:
            h = w_in[rows].mean(0)
            targets = [word] + [t for t in (noise.draw() for _ in range(negative)) if t != word]
            work = np.zeros_like(h)
            for i, t in enumerate(targets):
                f = float(h @ w_out[t])
                label = 1.0 if i == 0 else 0.0
                loss += np.logaddexp(0.0, -f if label else f)
                g = (label - 1.0 / (1.0 + np.exp(-f))) * lr
                work += g * w_out[t]
                w_out[t] += g * h
            for r in rows:
                w_in[r] += work
            count += 1
    return loss, count


def _run(seed=0, window=3):
    rng = np.random.default_rng(seed)
    sentences = [[f"w{int(x)}" for x in rng.zipf(1.4, size=rng.integers(3, 15)) % 40] for _ in range(60)]
    vocab = build_vocabulary(sentences, min_count=1)
    stream = encode(sentences, vocab)
    sampler = make_sampler(vocab.counts, sample=1e-2, exponent=0.75)
    run, _ = make_run(stream, [0, 150, 300], 150, window, sampler, rng)
    return vocab, stream, sampler, run


def _weights(V, dim, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(V, dim, generator=g) * 0.3, torch.randn(V, dim, generator=g) * 0.3


@pytest.mark.parametrize("arch", ["skipgram", "cbow"])
@pytest.mark.parametrize("shards", [1, 2])
def test_kernel_is_the_per_pair_sgd_loop(kernel, arch, shards):
    vocab, _, _, run = _run()
    V, dim, K, lr, seed = len(vocab), 16, 4, 0.05, 12345
    noise = kernel.alias(vocab.counts.astype(np.float64) ** 0.75)
    w_in, w_out = _weights(V, dim)
    start_in, start_out = w_in.double().numpy(), w_out.double().numpy()
    ws = kernel.workspace(V, dim, shards)
    loss, count = ws.train(w_in, w_out, run.tokens, run.lines, run.centers, run.reach, noise, K, arch == "cbow", lr,
                           seed, hogwild=False)
    # shard k: centres [m k / S, m (k+1) / S) from the step's starting weights, its own noise stream;
    # then the shards' changes are added up
    m = len(run.centers)
    ref_in, ref_out, ref_loss, ref_count = start_in.copy(), start_out.copy(), 0.0, 0
    for k in range(shards):
        a, b = start_in.copy(), start_out.copy()
        shard_loss, shard_count = _reference(a, b, run, m * k // shards, m * (k + 1) // shards, _Noise(noise, seed, k),
                                             K, arch == "cbow", lr)
        ref_in += a - start_in
        ref_out += b - start_out
        ref_loss, ref_count = ref_loss + shard_loss, ref_count + shard_count
    assert count == ref_count > 50
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    np.testing.assert_allclose(w_in.numpy(), ref_in, rtol=0, atol=2e-5)
    np.testing.assert_allclose(w_out.numpy(), ref_out, rtol=0, atol=2e-5)
    assert not np.allclose(w_in.numpy(), start_in, atol=1e-3)          # the step did move the rows


def test_sharded_steps_are_reproducible_and_hogwild_trains_the_same_pairs(kernel):
    vocab, _, _, run = _run(seed=1)
    V, dim = len(vocab), 12
    noise = kernel.alias(vocab.counts.astype(np.float64) ** 0.75)
    results = []
    for hogwild in (False, False, True):
        w_in, w_out = _weights(V, dim, seed=2)
        ws = kernel.workspace(V, dim, 2)
        out = [ws.train(w_in, w_out, run.tokens, run.lines, run.centers, run.reach, noise, 5, False, 0.025, s, hogwild)
               for s in range(3)]
        results.append((w_in, w_out, out))
    (a_in, a_out, a), (b_in, b_out, b), (h_in, h_out, h) = results
    assert a == b and torch.equal(a_in, b_in) and torch.equal(a_out, b_out)       # bit for bit
    assert [c for _, c in h] == [c for _, c in a]                               # Hogwild: same pairs, racing writes
    for losses in ([x for x, _ in a], [x for x, _ in h]):
        assert losses[0] > losses[1] > losses[2]                                # both learn the repeated run
    np.testing.assert_allclose([x for x, _ in h], [x for x, _ in a], rtol=0.15)


def test_alias_table_draws_gensims_noise_distribution(kernel):
    gensim = pytest.importorskip("gensim")
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(300)]
    freq = 1.0 / np.arange(1, 301) ** 1.1
    sentences = [list(rng.choice(words, size=40, p=freq / freq.sum())) for _ in range(500)]
    model = gensim.models.Word2Vec(vector_size=8, min_count=1, negative=5, ns_exponent=0.75, workers=1)
    model.build_vocab(sentences)
    vocab = build_vocabulary(sentences, min_count=1)
    table = kernel.alias(vocab.counts.astype(np.float64) ** 0.75)
    order = [model.wv.key_to_index[w] for w in vocab.words]
    gensim_p = np.diff(np.concatenate([[0.0], model.cum_table / model.cum_table[-1]]))[order]
    np.testing.assert_allclose(table.probabilities(), gensim_p, rtol=1e-6, atol=1e-9)
    draws = _Noise(table, 7, 0)
    counts = np.bincount([draws.draw() for _ in range(40_000)], minlength=len(vocab))
    top = slice(0, 10)                                                  # frequent words: tight binomial bounds
    sd = np.sqrt(40_000 * gensim_p[top] * (1 - gensim_p[top]))
    assert np.all(np.abs(counts[top] - 40_000 * gensim_p[top]) < 5 * sd)


def test_token_run_has_the_windows_of_the_torch_path():
    vocab, stream, sampler, _ = _run()
    run, words = make_run(stream, [0, 150], 150, 3, sampler, np.random.default_rng(5))
    groups, words_w = make_windows(stream, [0, 150], 150, 3, 4, sampler, np.random.default_rng(5))
    assert words == words_w
    from_windows = sorted((int(w), tuple(sorted(int(c) for c in ctx[mask])))
                          for g in groups for w, ctx, mask in zip(g.centers, g.contexts, g.mask))
    from_run = []
    for p, b in zip(run.centers, run.reach):
        ctx = [int(run.tokens[q]) for q in range(max(0, p - b), min(len(run.tokens) - 1, p + b) + 1)
               if q != p and run.lines[q] == run.lines[p]]
        from_run.append((int(run.tokens[p]), tuple(sorted(ctx))))
    assert sorted(from_run) == from_windows and len(from_run) > 100


def test_bad_inputs_are_refused(kernel):
    vocab, _, _, run = _run()
    noise = kernel.alias(vocab.counts.astype(np.float64))
    ws = kernel.workspace(len(vocab), 8, 1)
    w_in, w_out = _weights(len(vocab), 8)
    with pytest.raises(ValueError, match="vocabulary"):
        ws.train(w_in, w_out, run.tokens + len(vocab), run.lines, run.centers, run.reach, noise, 5, False, 0.1, 0, False)
    with pytest.raises(ValueError, match="float32"):
        ws.train(w_in.double(), w_out, run.tokens, run.lines, run.centers, run.reach, noise, 5, False, 0.1, 0, False)
    with pytest.raises(ValueError, match="centre"):
        ws.train(w_in, w_out, run.tokens, run.lines, run.centers + 10**6, run.reach, noise, 5, False, 0.1, 0, False)


@pytest.mark.parametrize("how", [{"CXX": "/nonexistent/g++"}, {"MLSP_W2V_KERNEL": "torch"}])
def test_without_a_compiler_training_falls_back_to_pure_torch(tmp_path, monkeypatch, capsys, how):
    from engine.training.runs import read_run_config
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    monkeypatch.setenv("MLSP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLSP_CACHE", str(tmp_path / "cache"))          # nothing built before
    for key, value in how.items():
        monkeypatch.setenv(key, value)
    wk._kernel_for.cache_clear()
    try:
        assert wk.kernel() is None
        result = train(TrainRequest(model="word2vec", data="builtin:grammar-small", out=tmp_path / "run", device="cpu",
                                    flags={"steps": 3, "batch_size": 2, "seed": 0}, sets=("dim=8", "min_count=2"),
                                    progress=False))
    finally:
        wk._kernel_for.cache_clear()
    assert result.reason == "finished" and read_run_config(result.run_dir)["task_info"]["kernel"] == "torch"
    err = capsys.readouterr().err
    if "CXX" in how:
        assert err.count("slower pure-torch path") == 1 and "no C++ compiler" in err
    assert not (tmp_path / "cache" / "kernels").exists() or not list((tmp_path / "cache" / "kernels").glob("*.so"))


@pytest.mark.parametrize("arch", ["skipgram", "cbow"])
def test_trained_through_the_trainer_it_learns_like_gensim(kernel, tmp_path, monkeypatch, arch):
    """Same corpus (builtin:grammar-small), hyper-parameters and threads: the analogy accuracy of the
    fused run is within a few points of gensim's, means of four seeds each. Measured over six seeds:
    skip-gram 0.407 ± 0.014 (ours) against 0.422 ± 0.009 (gensim, whose two worker threads make
    every run differ), CBOW 0.227 against 0.219. With two seeds and a 0.03 margin the skip-gram
    check failed about one run in ten by chance; four seeds and 0.04 leave the real gap (0.015) a
    wide margin, and a broken kernel (near 0) still fails. The quality benchmark against gensim
    (WordSim, SimLex on a real corpus) is benchmarks/word2vec_vs_gensim.py."""
    gensim = pytest.importorskip("gensim")
    from engine.data.corpora import resolve_data
    from engine.loaders.word2vec import read_vectors_folder
    from engine.metrics.analogy import analogy_accuracy, builtin_analogies
    from engine.training.runs import read_run_config
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    monkeypatch.setenv("MLSP_HOME", str(tmp_path / "home"))
    lines = list(resolve_data("builtin:grammar-small").sentences())
    ours, theirs = [], []
    for seed in (0, 1, 2, 3):
        result = train(TrainRequest(model="word2vec", data="builtin:grammar-small", out=tmp_path / f"run{seed}",
                                    device="cpu", flags={"epochs": 10.0, "seed": seed, "checkpoint_every": 10**6},
                                    sets=(f"arch={arch}", "dim=32", "threads=2"), progress=False))
        assert read_run_config(result.run_dir)["task_info"]["kernel"] == "fused"
        words, _, w1, _, _ = read_vectors_folder(result.checkpoint)
        ours.append(analogy_accuracy(words, w1, builtin_analogies()).accuracy)
        model = gensim.models.Word2Vec(lines, vector_size=32, window=5, negative=5, min_count=5, sample=1e-3, epochs=10,
                                       sg=int(arch == "skipgram"), workers=2, seed=seed + 1)
        theirs.append(analogy_accuracy(list(model.wv.index_to_key), model.wv.vectors, builtin_analogies()).accuracy)
    assert np.mean(theirs) > 0.1
    assert np.mean(ours) >= np.mean(theirs) - 0.04, (ours, theirs)
