"""Issue 11 through real processes: `mlsp embed MODEL --data builtin:digits` writes one class-token
vector per held-out digit with its digit as metadata (which `mlsp project` reads back), `mlsp compare
--finetune --json` adds the fine-tune table, and bad inputs end in one line and exit code 2."""
import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e
MLSP = shutil.which("mlsp")


def mlsp(args, timeout=300):
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run(cmd + args, capture_output=True, text=True, timeout=timeout, env=env)


def test_embed_digits_for_the_projector(tmp_path):
    from engine.data.image_sets import digits

    vec, meta = tmp_path / "vectors.tsv", tmp_path / "metadata.tsv"
    out = mlsp(["embed", "simclr", "--data", "builtin:digits", "--limit", "40", "--out", str(vec), "--metadata", str(meta)])
    assert out.returncode == 0, out.stderr
    rows = meta.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["label", "digit", "image"] and len(rows) == 41
    test = digits("test")
    for row in rows[1:]:
        label, digit, image = row.split("\t")
        assert digit == str(test.labels[int(image.split()[1])]) and label.startswith(f"digit {digit} · #")
    assert len(vec.read_text().splitlines()) == 40 and len(vec.read_text().splitlines()[0].split("\t")) == 64
    proj = mlsp(["project", str(vec), "--metadata", str(meta), "--json"])
    assert proj.returncode == 0 and json.loads(proj.stdout)["count"] == 40
    patches = mlsp(["embed", "vit", "--data", "builtin:digits", "--limit", "2", "--patches", "--json"])
    js = json.loads(patches.stdout)
    assert js["count"] == 2 * 64 and js["kind"] == "image-patch" and set(js["metadata"]) == {"digit", "image", "row", "column"}


@pytest.mark.parametrize("args, words", [
    (["embed", "vit", "--data", "builtin:nope"], "--data must be builtin:digits"),
    (["embed", "minilm", "--data", "builtin:digits"], "does not take images"),
    (["embed", "vit", "--patches"], "go with --data"),
    (["compare", "--finetune", "--steps", "0"], "at least 1 step"),
    (["compare", "--seeds", "0"], "--seeds must be from 1 to 20"),
])
def test_bad_inputs_say_one_line_and_exit_2(args, words):
    out = mlsp(args)
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr


def test_compare_finetune_json_shape():
    out = mlsp(["compare", "--finetune", "--steps", "1", "--seeds", "1", "--json"], timeout=600)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["method"] == "linear probe" and doc["labels"] == [1, 5, 10, 50, 100] and doc["seeds"] == [0]
    fine = doc["finetune"]
    assert fine["method"] == "fine-tune" and fine["labels"] == [1, 10, 100] and fine["seeds"] == [0]
    assert fine["settings"]["steps"] == 1 and fine["settings"]["batch_size"] == 32
    assert list(fine["models"]) == list(doc["models"]) and list(fine["models"])[0] == "random init"
    for row in fine["models"].values():
        assert set(row) == {"1", "10", "100"} and all(0 <= v["mean"] <= 1 and v["std"] >= 0 for v in row.values())
