"""A view the chosen model cannot serve says so inside the view and names the models that can
(from the registry's declared capabilities), instead of being enabled and failing; the navigator
greys it. MiniLM is not offered "generate N tokens"."""
from __future__ import annotations

from window_support import wait_jobs


def _wait_registry(qtbot, window):
    qtbot.waitUntil(window.ctx.capabilities.known, timeout=20000)


def test_attention_view_names_the_models_that_can(make_main_window, qtbot):
    window = make_main_window(open_views=["attention_heatmap"])
    _wait_registry(qtbot, window)
    view = window.views.view("attention_heatmap")
    window.ctx.session.set_model("word2vec")
    gate = view.capability_gate
    assert gate.isVisible() and gate.geometry() == view.rect()
    assert "word2vec" in gate.label.text() and "minilm" in gate.label.text()
    assert "attention" in window.views.gaps()["attention_heatmap"]
    assert window.navigator.items["attention_heatmap"].toolTip(0).endswith(window.views.gaps()["attention_heatmap"])
    first = next(iter(gate.buttons))
    assert first in window.ctx.capabilities.models_that_can("attention")
    gate.buttons[first].click()                       # "Use <a model that can>"
    assert window.ctx.session.model == first and not gate.isVisible()
    window.ctx.session.set_model("minilm")
    assert "attention_heatmap" not in window.views.gaps()
    wait_jobs(qtbot, window)


def test_minilm_is_not_offered_generation(make_main_window, qtbot):
    window = make_main_window(open_views=["head_view"])
    _wait_registry(qtbot, window)
    window.ctx.session.set_model("minilm")
    view = window.views.view("head_view")
    spin = view.probe_bar.generate_spin
    assert not spin.isEnabled()
    assert "cannot generate text" in spin.toolTip() and "--generate" not in spin.toolTip()
    window.ctx.attention.set_generate(5)              # a lesson or a saved session asks for it anyway
    request = view.source.snapshot()
    assert request is None or request.generate == 0   # never sent to a model that cannot
    wait_jobs(qtbot, window)


def test_views_with_a_model_of_their_own_are_never_gated(make_main_window, qtbot):
    window = make_main_window(open_views=["embeddings", "word_queries"])
    _wait_registry(qtbot, window)
    window.ctx.session.set_model("toy-mlp")
    assert "embeddings" not in window.views.gaps() and "word_queries" not in window.views.gaps()
    assert getattr(window.views.view("embeddings"), "capability_gate", None) is None
    wait_jobs(qtbot, window)
