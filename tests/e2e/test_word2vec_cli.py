"""`mlsp train word2vec` then `mlsp neighbors / analogy / similarity / embed` on the run, as real
processes; their JSON equals the probes run in this process on the same checkpoint; bad words
and bad models exit 2 with one line on stderr."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.e2e


def _mlsp(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "mlsp_gui.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "MLSP_HOME": str(home), "MLSP_RUNS": str(home / "runs")}
    run = tmp_path_factory.mktemp("runs") / "w2v"
    proc = _mlsp("train", "word2vec", "--data", "builtin:grammar-small", "--out", str(run), "--steps", "6",
                 "--batch-size", "2", "--device", "cpu", "--set", "dim=16", "--set", "min_count=2", "--set", "span=300",
                 "--json", env=env)
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end" and events[-1]["reason"] == "finished"
    assert any(e["event"] == "step" and e["unit"] == "words/s" for e in events)
    return run, env


def test_neighbors_analogy_similarity_match_the_probes(trained):
    from engine.probes.word_vectors import analogy, neighbors, similarity
    from engine.zoo import load_model

    run, env = trained
    model = load_model(str(run), "cpu")
    got = json.loads(_mlsp("neighbors", str(run), "queen", "-k", "4", "--json", env=env).stdout)
    ref = neighbors(model, "queen", 4)
    assert got["word"] == "queen" and [n["word"] for n in got["neighbors"]] == [n.word for n in ref.neighbors]
    np.testing.assert_allclose([n["similarity"] for n in got["neighbors"]], [n.similarity for n in ref.neighbors],
                               rtol=1e-6)
    got = json.loads(_mlsp("analogy", str(run), "man", "king", "woman", "--json", env=env).stdout)
    ref = analogy(model, "man", "king", "woman", 5)
    assert [a["word"] for a in got["answers"]] == [a.word for a in ref.answers]
    got = json.loads(_mlsp("similarity", str(run), "paris", "rome", "--json", env=env).stdout)
    assert got["similarity"] == pytest.approx(similarity(model, "paris", "rome").similarity, rel=1e-6)


def test_embed_exports_the_run_vocabulary(trained, tmp_path):
    from engine.zoo import load_model

    run, env = trained
    vectors, metadata = tmp_path / "vectors.tsv", tmp_path / "metadata.tsv"
    _mlsp("embed", str(run), "--out", str(vectors), "--metadata", str(metadata), "--device", "cpu", env=env)
    model = load_model(str(run), "cpu")
    np.testing.assert_allclose(np.loadtxt(vectors, delimiter="\t"), model.vectors, rtol=1e-6, atol=1e-7)
    rows = metadata.read_text(encoding="utf-8").splitlines()
    from engine.data.corpora.word_groups import OTHER, word_groups

    assert rows[0] == "word\tcount\tgroup"                 # a builtin:grammar run: its words have groups
    groups = word_groups()
    for row, word, count in zip(rows[1:], model.words, model.counts):
        assert row == f"{word}\t{int(count)}\t{groups.get(word, OTHER)}"
    assert len(rows) == len(model.words) + 1


@pytest.mark.parametrize("args,needle", [
    (("neighbors", "RUN", "qqqqzz"), "'qqqqzz' is not in the vocabulary"),
    (("analogy", "RUN", "man", "king", "wmn"), "'wmn' is not in the vocabulary"),
])
def test_errors_exit_2_with_one_line(trained, args, needle):
    run, env = trained
    proc = _mlsp(*[str(run) if a == "RUN" else a for a in args], env=env, check=False)
    assert proc.returncode == 2 and needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
