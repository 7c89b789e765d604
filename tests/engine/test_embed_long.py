"""Defect 2 of issue 13: a text longer than MiniLM's 256 tokens is never cut silently — the record,
`mlsp embed` (stderr and --json) say which and how long, and --windows embeds it whole as the mean
over windows. Defect 11: `mlsp embed` prints a summary instead of more numbers than a screenful
unless told `--out -`."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine.cli import main
from engine.probes.embed import embed
from engine.zoo import load_model

pytest.importorskip("torch")
LONG = " ".join(["the market fell sharply as investors worried about rising interest rates"] * 40)


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm", "cpu")


def test_long_text_is_flagged_and_windows_embed_it_whole(minilm):
    cut = embed(minilm, ["a short line", LONG])
    assert cut.truncated == (1,)
    assert "1 of 2 texts is longer than minilm's 256 tokens" in cut.note and "first 256 tokens" in cut.note
    whole = embed(minilm, ["a short line", LONG], windows=True)
    assert whole.truncated == () and "mean over windows" in whole.note
    np.testing.assert_allclose(whole.vectors[0], cut.vectors[0], atol=1e-5)   # short texts unchanged
    assert abs(float(np.linalg.norm(whole.vectors[1])) - 1) < 1e-4
    assert not np.allclose(whole.vectors[1], cut.vectors[1], atol=1e-4)
    assert embed(minilm, ["a short line"]).note == ""


def test_cli_says_so_on_stderr_and_in_json(tmp_path, capsys):
    news = tmp_path / "news.txt"
    news.write_text("a short line\n" + LONG + "\n")
    assert main(["embed", "minilm", str(news), "--out", str(tmp_path / "v.tsv"), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("note: 1 of 2 texts is longer than minilm's 256 tokens")
    assert main(["embed", "minilm", str(news), "--out", str(tmp_path / "v.tsv"), "--json", "--windows"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["truncated"] == [] and "mean over windows" in doc["note"]
    assert main(["embed", "minilm", str(news), "--out", str(tmp_path / "v.tsv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["truncated"] == [1]


def test_no_screenful_of_numbers_without_out_dash(capsys):
    assert main(["embed", "word2vec"]) == 0                      # the whole vocabulary
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 2 and "Not printed" in out and "--out -" in out
    assert main(["embed", "word2vec", "--out", "-"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) > 100 and all("\t" in r for r in rows[:5])
    assert main(["embed", "minilm", "one short sentence", "--device", "cpu"]) == 0    # 384 numbers: printed
    assert len(capsys.readouterr().out.split("\t")) == 384
