"""The parameter formula of the Model size view gives our models' real counts, part by part, and
the GPT series' published sizes."""
from __future__ import annotations

import hf_tiny
import lm_tiny
import pytest

from engine.metrics.model_size import gpt_series
from engine.probes.model_size import model_size
from engine.zoo import load_model


@pytest.mark.parametrize("which", ["bert-mini", "gpt-mini", "gpt-mini-untied", "hf:bert", "hf:gpt2", "hf:distilbert"])
def test_the_formula_gives_the_real_count_of_every_part(which):
    if which.startswith("hf:"):
        model = load_model(f"hf:{hf_tiny.tiny_folder(which[3:])}", "cpu")
    elif which == "bert-mini":
        model = lm_tiny.load("bert-mini", lm_tiny.tiny_bert())
    else:
        model = lm_tiny.load("gpt-mini", lm_tiny.tiny_gpt("bpe"))
        if which.endswith("untied"):
            from engine.models.gpt2 import GPT2

            model.net = GPT2(type(model.net.cfg)(**{**model.net.cfg.__dict__, "tie_embeddings": False}))
    r = model_size(model)
    assert r.model.parts == r.formula.parts
    assert r.model.total == sum(p.numel() for p in model.net.parameters())


def test_the_gpt_series_has_its_published_sizes():
    sizes = {r.name.split()[0]: r.total for r in gpt_series()}
    assert sizes["GPT-1"] == pytest.approx(117e6, rel=0.01)
    assert sizes["GPT-2"] == pytest.approx(1.5e9, rel=0.05)
    assert sizes["GPT-3"] == pytest.approx(175e9, rel=0.01)
