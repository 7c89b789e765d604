"""Attention on the image: the panels are the record's class-token rows per head, their mean and
the rollout; clicking a patch makes it the query; the state goes round."""
import json

import numpy as np
import pytest

from engine.probes.image_attention import image_attention
from mlsp_gui.context import AppContext
from mlsp_gui.views.image_attention import ImageAttentionView
from tests.engine.vision_tiny import image, tiny_model


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = ImageAttentionView(ctx)
    qtbot.addWidget(v)
    v.resize(900, 600)
    yield v
    ctx.jobs.wait(10_000)


def test_record_rollout_and_grid():
    rec = image_attention(tiny_model("vit", n_layers=2), image(30, 50))
    assert rec.weights.shape == (2, 2, 65, 65) and rec.grid == (8, 8) and rec.pixels.shape == (32, 32, 3)
    assert np.allclose(rec.rollout.sum(-1), 1.0, atol=1e-5)
    assert rec.patch_map(rec.weights[0, 0, 0]).shape == (8, 8) and rec.query_of(1, 2) == 11


def test_panels_click_and_state(qtbot, view, tmp_path):
    view.set_model(tiny_model("vit", n_layers=2))
    view.set_image(image())
    qtbot.waitUntil(lambda: view.record is not None, timeout=20_000)
    r = view.record
    assert len(view.plots) == 2 + 3 and view.layer.count() == 2
    maps = dict(view.maps())
    assert np.allclose(maps["head 1"], r.weights[1, 1, 0, 1:].reshape(8, 8))
    assert np.allclose(maps["rollout (all layers)"], r.rollout[0, 1:].reshape(8, 8))
    view.select_patch(2, 3)
    assert np.allclose(dict(view.maps())["head 0"], r.weights[1, 0, r.query_of(2, 3), 1:].reshape(8, 8))
    state = view.view_state()
    assert json.loads(json.dumps(state)) == state and state["query"] == [2, 3]
    view.restore_state({"layer": 0, "query": None})
    assert view.query is None and view.layer.currentIndex() == 0
    view.restore_state({"layer": "x", "query": [99, 1]})
    assert view.query is None
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "image_attention.png"))
