"""`mlsp project` through a real subprocess: PCA against scikit-learn, t-SNE, JSON, errors."""
import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.decomposition import PCA

pytestmark = pytest.mark.e2e


def _mlsp(*args, check=True):
    out = subprocess.run([sys.executable, "-m", "engine.cli", "project", *map(str, args)],
                         capture_output=True, text=True, timeout=300)
    if check:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture
def pair(tmp_path):
    rng = np.random.default_rng(0)
    v = np.concatenate([rng.standard_normal((30, 8)) + 5 * rng.standard_normal(8) for _ in range(3)]).astype(np.float32)
    np.savetxt(tmp_path / "vectors.tsv", v, delimiter="\t", fmt="%.9g")
    rows = ["word\tgroup"] + [f"w{i}\tg{i // 30}" for i in range(90)]
    (tmp_path / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path, v


def test_pca_coordinates_file_matches_sklearn(pair):
    d, v = pair
    out = _mlsp(d / "vectors.tsv", "--metadata", d / "metadata.tsv", "--dims", "3", "--out", d / "coords.tsv")
    assert "wrote pca coordinates of 90 points in 3-D" in out.stdout
    lines = (d / "coords.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "label\tx\ty\tz\tgroup" and len(lines) == 91
    assert lines[1].startswith("w0\t") and lines[1].endswith("\tg0")
    coords = np.array([[float(c) for c in line.split("\t")[1:4]] for line in lines[1:]])
    ref = PCA(3).fit_transform(v.astype(np.float64))
    signs = np.sign((coords * ref).sum(0))
    np.testing.assert_allclose(coords * signs, ref, atol=1e-4 * np.abs(ref).max())


def test_tsne_json_document(pair):
    d, _ = pair
    out = _mlsp(d / "vectors.tsv", "--method", "tsne", "--perplexity", "10", "--iterations", "300", "--json")
    doc = json.loads(out.stdout)
    assert doc["method"] == "tsne" and doc["count"] == 90 and doc["iterations_done"] == 300
    assert np.asarray(doc["coords"]).shape == (90, 2) and doc["labels"][:2] == ["0", "1"]
    assert doc["kl_divergence"] > 0 and doc["params"]["perplexity"] == 10


def test_errors_are_one_line_and_exit_2(pair):
    d, _ = pair
    bad = _mlsp(d / "vectors.tsv", "--method", "tsne", "--perplexity", "200", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "perplexity 200" in bad.stderr
    (d / "short.tsv").write_text("a\nb\n", encoding="utf-8")
    bad = _mlsp(d / "vectors.tsv", "--metadata", d / "short.tsv", check=False)
    assert bad.returncode == 2 and "2 rows for 90 vectors" in bad.stderr
