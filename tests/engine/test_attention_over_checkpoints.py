"""Attention summaries over a run's checkpoints (issue 10, heads while training): a tiny bert-mini run
with four checkpoints; each point equals `summarize` / `notable_heads` of that checkpoint loaded on
its own, the loss is the one metrics.jsonl logged at that step, and `mlsp attention-summary RUN INPUT
--over-checkpoints --json` prints the same numbers (a model that is not a run: one line, exit 2)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.errors import ConfigError
from tests.engine.lm_tiny import train_tiny_run

TEXT = "the queen lives in the castle"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return train_tiny_run(tmp_path_factory.mktemp("bert-mini"), "bert-mini", steps=8, checkpoint_every=2, keep=10)


def _loader(run: Path):
    from engine.contract.spec import ModelRef
    from engine.zoo import load_model, resolve

    spec = resolve(str(run)).spec
    return lambda folder: load_model(ModelRef(spec=spec, path=Path(folder), text=str(run)), "cpu")


def _alone(checkpoint: Path):
    """The summary of one checkpoint folder loaded by itself (the zoo reads a checkpoint folder)."""
    from engine.contract.registry import get_spec
    from engine.contract.spec import ModelRef
    from engine.probes.attention import attention
    from engine.probes.attention_summary import notable_heads, summarize
    from engine.zoo import load_model

    model = load_model(ModelRef(spec=get_spec("bert-mini"), path=checkpoint, text="bert-mini"), "cpu")
    s = summarize(attention(model, TEXT))
    return s, notable_heads(s)


def test_each_point_is_the_summary_of_that_checkpoint_alone(run_dir):
    from engine.probes.attention_over_checkpoints import over_checkpoints
    from engine.training.runs import list_checkpoints, read_metrics

    result = over_checkpoints(run_dir, TEXT, _loader(run_dir))
    assert result.model == "bert-mini" and result.kind == "encoder-self" and (result.layers, result.heads) == (2, 4)
    assert result.steps == [2, 4, 6, 8] == [c.step for c in list_checkpoints(run_dir)]
    losses = {r["step"]: r["loss"] for r in read_metrics(run_dir) if r.get("event") == "step"}
    for point in result.points:
        summary, notable = _alone(run_dir / "checkpoints" / f"step-{point.step:08d}")
        assert np.allclose(point.entropy_per_layer, summary.entropy.mean(axis=1), atol=1e-12)
        assert point.mean_entropy == pytest.approx(float(summary.entropy.mean()), abs=1e-12)
        assert {k: list(v) for k, v in point.notable.items()} == notable
        assert point.counts() == {k: len(v) for k, v in notable.items()}
        assert point.loss == pytest.approx(losses[point.step])
        assert result.max_entropy == pytest.approx(summary.max_entropy)
    assert result.points[0].entropy_per_layer != result.points[-1].entropy_per_layer     # the weights moved


def test_only_the_asked_steps_and_damaged_checkpoints_are_named(run_dir, tmp_path):
    from engine.probes.attention_over_checkpoints import over_checkpoints

    assert over_checkpoints(run_dir, TEXT, _loader(run_dir), steps={4, 8}).steps == [4, 8]
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    model = copy / "checkpoints" / "step-00000004" / "model.safetensors"
    model.write_bytes(model.read_bytes()[:200])
    result = over_checkpoints(copy, TEXT, _loader(copy))
    assert result.steps == [2, 6, 8] and len(result.skipped) == 1 and result.skipped[0].startswith("step-00000004")


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    from engine.probes.attention_over_checkpoints import over_checkpoints

    with pytest.raises(ConfigError, match="not a training run folder"):
        over_checkpoints(tmp_path, TEXT, lambda folder: None)


def test_cli_json_equals_the_engine_and_a_model_id_is_one_line(run_dir, capsys):
    from engine.cli import main
    from engine.probes.attention_over_checkpoints import over_checkpoints

    assert main(["attention-summary", str(run_dir), TEXT, "--over-checkpoints", "--json", "--device", "cpu"]) == 0
    doc = json.loads(capsys.readouterr().out)
    result = over_checkpoints(run_dir, TEXT, _loader(run_dir))
    assert [c["step"] for c in doc["checkpoints"]] == [2, 4, 6, 8]
    for c, p in zip(doc["checkpoints"], result.points):
        assert c["loss"] == pytest.approx(p.loss) and c["mean_entropy"] == pytest.approx(p.mean_entropy)
        assert c["entropy_per_layer"] == pytest.approx(list(p.entropy_per_layer))
        assert c["notable"] == p.counts() and set(c["notable"]) == {"previous token", "next token", "special tokens",
                                                                     "focused"}
    assert main(["attention-summary", str(run_dir), TEXT, "--over-checkpoints", "--device", "cpu"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1].split()[:5] == ["step", "loss", "H(L0)", "H(L1)", "H"] and len(table) == 2 + 4
    assert table[2].split()[0] == "2" and float(table[2].split()[1]) == pytest.approx(result.points[0].loss, abs=1e-4)
    assert main(["attention-summary", "bert-mini", TEXT, "--over-checkpoints"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "needs a training run folder" in err
