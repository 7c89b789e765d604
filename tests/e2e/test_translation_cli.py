"""`mlsp train seq2seq|nmt-transformer` (also under --nproc 2) on a tiny TSV, then `mlsp translate`,
`mlsp evaluate` and `mlsp attention` on the run, in subprocesses, with the JSON shapes of the issue."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.e2e

SUBJECTS = [("i", "je"), ("the cat", "le chat"), ("the dog", "le chien"), ("the student", "l'étudiant"),
            ("the queen", "la reine"), ("my friend", "mon ami")]
VERBS = [("sleeps", "dort"), ("eats", "mange"), ("reads", "lit"), ("sings", "chante"), ("runs", "court"),
         ("works", "travaille"), ("listens", "écoute"), ("walks", "marche")]
PAIRS = [("i am a student", "je suis étudiant")] + [(f"{e} {v}", f"{f} {w}") for e, f in SUBJECTS for v, w in VERBS]


def mlsp(*args, env, timeout=300):
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nmt")
    tsv = tmp / "pairs.tsv"
    tsv.write_text("".join(f"{e}\t{f}\n" for e, f in PAIRS), encoding="utf-8")
    env = {**os.environ, "MLSP_RUNS": str(tmp / "runs"), "MLSP_HOME": str(tmp / "home"), "OMP_NUM_THREADS": "1"}
    return tmp, tsv, env


@pytest.mark.parametrize("model,sets", [("nmt-transformer", ["d_model=16", "n_heads=2", "d_ff=32", "enc_layers=1",
                                                             "dec_layers=1", "eval_sentences=4"]),
                                       ("seq2seq", ["emb=8", "hidden=16", "eval_sentences=4"])])
def test_train_translate_evaluate_attention(setup, model, sets):
    tmp, tsv, env = setup
    run = tmp / model
    args = ["train", model, "--data", str(tsv), "--steps", "4", "--batch-size", "8", "--out", str(run), "--json",
            "--device", "cpu"]
    for s in sets:
        args += ["--set", s]
    if model == "seq2seq":
        args += ["--nproc", "2"]
    r = mlsp(*args, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "finished"
    ckpts = sorted((run / "checkpoints").iterdir())
    assert (ckpts[-1] / "src_tokenizer.json").is_file() and (ckpts[-1] / "tgt_tokenizer.json").is_file()

    r = mlsp("translate", str(run), "i am a student", "--beam", "3", "--json", env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert len(out["source_tokens"]) == 5 and out["source_tokens"][-1] == "</s>"
    beams = out["translations"]
    assert 1 <= len(beams) <= 3
    assert [b["score"] for b in beams] == sorted((b["score"] for b in beams), reverse=True)
    for b in beams:
        assert set(b) == {"text", "score", "tokens", "token_probs"}
        assert len(b["tokens"]) == len(b["token_probs"]) and all(0 < p <= 1 for p in b["token_probs"])

    r = mlsp("evaluate", str(run), "--data", str(tsv), "--split", "train", "--by-length", "--json", env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    q = json.loads(r.stdout)
    assert set(q) == {"bleu", "chrf", "sentences", "by_length"} and q["sentences"] > 0
    assert 0 <= q["bleu"] <= 100 and 0 <= q["chrf"] <= 100
    assert sum(b["sentences"] for b in q["by_length"]) == q["sentences"]
    assert all(set(b) == {"min_len", "max_len", "bleu", "sentences"} for b in q["by_length"])

    npz = tmp / f"{model}.npz"
    r = mlsp("attention", str(run), "i am a student", "--out", str(npz), env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    a = np.load(npz)
    names = list(a["stacks"])
    assert "cross" in names
    if model == "nmt-transformer":
        assert names == ["encoder", "decoder", "cross"]
        assert a["encoder_weights"].shape[2:] == (5, 5)
    cross = a["cross_weights"]
    assert list(a["cross_tokens_k"]) == out["source_tokens"]
    assert cross.shape[2] == len(a["cross_tokens_q"]) and a["cross_tokens_q"][0] == "<s>"
    np.testing.assert_allclose(cross.sum(-1), 1.0, atol=1e-5)


def test_bad_input_is_one_line(setup):
    tmp, tsv, env = setup
    r = mlsp("translate", "nmt-transformer", "", env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "empty" in r.stderr
    r = mlsp("translate", "nmt-transformer", "word " * 2000, env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "at most 200 words" in r.stderr
    r = mlsp("translate", "minilm", "i am a student", env=env)
    assert r.returncode == 2 and "cannot translate" in r.stderr
