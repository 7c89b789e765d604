"""`mlsp attention-summary` on minilm: its NPZ/CSV/JSON equal summaries recomputed from the probe's
weights with plain loops; a bad output folder fails before the model loads, with one line."""
import csv
import json
import math
import subprocess
import sys

import numpy as np
import pytest

TEXT = "The cat sat on the mat because it was tired."


@pytest.mark.e2e
def test_summary_files_match_loops_over_the_probe(tmp_path):
    npz, table = tmp_path / "summary.npz", tmp_path / "heads.csv"
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "attention-summary", "minilm", TEXT, "--out", str(npz),
                           "--csv", str(table), "--json", "--device", "cpu"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    from engine.probes.attention import attention
    from engine.zoo import load_model

    weights = attention(load_model("minilm", "cpu"), TEXT).weights.astype(np.float64)
    layers, heads, t, _ = weights.shape
    data = np.load(npz)
    assert doc["tokens"] == data["tokens_q"].tolist() and doc["layers"] == layers and doc["heads"] == heads
    ref_rollout = np.eye(t)
    for layer in range(layers):
        mixed = 0.5 * np.eye(t) + 0.5 * weights[layer].mean(0)
        ref_rollout = (mixed / mixed.sum(1, keepdims=True)) @ ref_rollout
    assert np.allclose(data["rollout"], ref_rollout, atol=1e-6)
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == layers * heads
    for row in rows[::7]:
        w = weights[int(row["layer"]), int(row["head"])]
        entropy = np.mean([-sum(p * math.log(p) for p in r if p > 0) for r in w])
        distance = np.mean([sum(p * abs(i - j) for j, p in enumerate(r)) for i, r in enumerate(w)])
        assert float(row["entropy"]) == pytest.approx(entropy, abs=1e-5)
        assert float(row["distance"]) == pytest.approx(distance, abs=1e-5)
    assert {tuple(x) for x in doc["notable"]["previous token"]} <= {(r["layer"], r["head"]) for r in doc["heads_table"]}


@pytest.mark.e2e
def test_missing_output_folder_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "attention-summary", "minilm", "hi", "--out",
                           str(tmp_path / "no" / "s.npz")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and "does not exist" in proc.stderr
