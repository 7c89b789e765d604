"""The shipped translation weights (assets/seq2seq, assets/nmt-transformer): small, loadable, and
they translate the lecture's example; `mlsp translate` does it from the command line."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine.paths import ASSETS_DIR

MODELS = ["seq2seq", "nmt-transformer"]


@pytest.mark.parametrize("name", MODELS)
def test_shipped_weights_are_small_and_complete(name):
    folder = ASSETS_DIR / name
    files = {p.name for p in folder.iterdir()}
    assert {"model.safetensors", "meta.json", "src_tokenizer.json", "tgt_tokenizer.json"} <= files
    assert sum(p.stat().st_size for p in folder.iterdir()) < 10 * 2**20
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["family"] == name


@pytest.mark.parametrize("name", MODELS)
def test_the_lecture_example(name):
    from engine.probes.translation import translate
    from engine.zoo import load_model

    model = load_model(name, "cpu")
    t = translate(model, "i am a student", beam=4)
    assert t.best.text == "je suis étudiant"
    assert t.best.tokens == ["je", "suis", "étudiant", "</s>"] and t.best.finished
    cross = t.best.cross_attention.mean(axis=(0, 1))          # (T, S) over i am a student </s>
    assert cross[0].argmax() == 0                              # je <- i


def test_mlsp_translate_from_the_shipped_weights():
    r = subprocess.run([sys.executable, "-m", "engine.cli", "translate", "seq2seq", "i am a student"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "je suis étudiant"
