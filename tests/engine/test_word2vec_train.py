"""word2vec through the shared trainer: a run folder whose checkpoints hold the vocabulary, a loader
that rebuilds exactly the trained vectors, a resumed run equal to the uninterrupted one, export
to the shipped-weights layout, refusals with the key named."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch
from trainer_helpers import StopAt

from engine.contract.capabilities import Capability
from engine.errors import ConfigError, InputError, MlspError
from engine.training.runs import list_checkpoints, load_model_weights, read_metrics
from engine.training.setup import TrainRequest
from engine.training.trainer import train

SETS = ("dim=12", "min_count=2", "span=200", "window=3")


@pytest.fixture(autouse=True)
def _home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MLSP_HOME", str(tmp_path_factory.getbasetemp() / "w2v-home"))


def _train(out: Path, steps: int = 8, data: str = "builtin:grammar-small", sets=SETS, resume=False, callbacks=None,
           **flags):
    flags = {"steps": steps, "batch_size": 2, "checkpoint_every": 4, "seed": 3, **flags}
    return train(TrainRequest(model="word2vec", data=data, out=out, device="cpu", flags=flags, sets=tuple(sets),
                              resume=resume, progress=False), callbacks=callbacks)


def test_run_folder_loader_and_counts(tmp_path):
    from engine.data.corpora import resolve_data
    from engine.zoo import load_model

    result = _train(tmp_path / "run", steps=8)
    assert result.reason == "finished" and [c.step for c in list_checkpoints(result.run_dir)] == [4, 8]
    ckpt = result.checkpoint
    assert (ckpt / "vocab.tsv").is_file()
    model = load_model(str(result.run_dir), "cpu")
    assert model.id == "word2vec" and model.can(Capability.WORD_VECTORS) and model.checkpoint_step == 8
    weights = load_model_weights(ckpt)
    np.testing.assert_array_equal(model.vectors, weights["in_vectors"].numpy())
    np.testing.assert_array_equal(model.output_vectors, weights["out_vectors"].numpy())
    counts = Counter(w for s in resolve_data("builtin:grammar-small").sentences() for w in s)
    expected = sorted(((w, c) for w, c in counts.items() if c >= 2), key=lambda wc: (-wc[1], wc[0]))
    assert model.words == [w for w, _ in expected]
    assert model.counts.tolist() == [c for _, c in expected]
    steps = [r for r in read_metrics(result.run_dir) if r.get("event") == "step"]
    assert steps and all(r["unit"] == "words/s" and r["loss"] > 0 for r in steps)
    evals = [r for r in read_metrics(result.run_dir) if r.get("event") == "eval"]
    assert evals and 0 <= evals[-1]["metrics"]["analogy_accuracy"] <= 1


@pytest.mark.parametrize("path", ["fused", "torch"])
def test_resume_repeats_the_uninterrupted_run(tmp_path, path):
    from engine.training.runs import read_run_config

    sets = SETS + (f"fused={path == 'fused'}",)          # the fused kernel on its default 2 deterministic threads
    whole = _train(tmp_path / "whole", steps=8, checkpoint_every=100, sets=sets)
    stopped = _train(tmp_path / "part", steps=8, checkpoint_every=100, callbacks=[StopAt(3)], sets=sets)
    assert stopped.reason == "stopped" and stopped.step == 3
    resumed = _train(tmp_path / "part", steps=8, checkpoint_every=100, resume=True, sets=sets)
    assert resumed.step == 8
    assert read_run_config(whole.run_dir)["task_info"]["kernel"] == path
    a, b = load_model_weights(whole.checkpoint), load_model_weights(resumed.checkpoint)
    for key in ("in_vectors", "out_vectors"):
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0)
    losses = [[(r["step"], r["loss"]) for r in read_metrics(run) if r.get("event") == "step"]
              for run in (whole.run_dir, resumed.run_dir)]
    assert len(losses[0]) == 8 and losses[0] == losses[1]


def test_cbow_on_a_users_text_file_and_export(tmp_path):
    from engine.loaders.word2vec import export_vectors, read_vectors_folder

    text = tmp_path / "mine.txt"
    rng = np.random.default_rng(0)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    text.write_text("\n".join(" ".join(rng.choice(words, 12)) for _ in range(300)), encoding="utf-8")
    result = _train(tmp_path / "run", steps=6, data=str(text), sets=("arch=cbow", "dim=8", "min_count=1"))
    words_back, counts, w1, w2, meta = read_vectors_folder(result.checkpoint)
    assert sorted(words_back) == sorted(words) and meta["config"]["arch"] == "cbow"
    out = export_vectors(result.run_dir, tmp_path / "assets" / "word2vec", note={"command": "test"})
    words2, counts2, v1, v2, meta2 = read_vectors_folder(out)
    assert words2 == words_back and counts2.tolist() == counts.tolist() and meta2["command"] == "test"
    np.testing.assert_allclose(v1, w1, rtol=2e-3, atol=1e-4)                    # stored as float16
    assert meta2["dtype"] == "float16" and meta2["exported_from"] == str(result.checkpoint)


@pytest.mark.parametrize("case", ["grad-accum", "min-count", "bad-set"])
def test_refusals_name_the_key(tmp_path, case):
    if case == "grad-accum":
        exc, needle, kwargs = ConfigError, "--grad-accum must be 1", dict(grad_accum=2)
    elif case == "min-count":
        exc, needle, kwargs = InputError, "min_count", dict(sets=("min_count=10000000",))
    else:
        exc, needle, kwargs = MlspError, "arch", dict(sets=("arch=glove",))
    with pytest.raises(exc, match=needle):
        _train(tmp_path / case, steps=2, **kwargs)
