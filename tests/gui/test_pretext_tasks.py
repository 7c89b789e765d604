"""The Pretext tasks view draws each task's record from a (tiny) model: four turned copies per
image with RotNet's guesses, SimCLR's 2N views and similarity matrix with the positives marked,
clusters as strips with their purity; the state goes round."""
import json

import numpy as np
import pyqtgraph as pg
import pytest

from mlsp_gui.context import AppContext
from mlsp_gui.views.pretext_tasks import PretextTasksView
from tests.engine.vision_tiny import tiny_model


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = PretextTasksView(ctx)
    qtbot.addWidget(v)
    v.resize(1000, 700)
    yield v
    ctx.jobs.wait(20_000)


def _images(widget):
    return [i for i in widget.scene().items() if isinstance(i, pg.ImageItem)]


def test_each_tab_draws_its_record(qtbot, view, tmp_path):
    for tab, family in (("rotation", "rotnet"), ("simclr", "simclr"), ("clusters", "cluster")):
        view.models[tab] = tiny_model(family)
    view.refresh()
    qtbot.waitUntil(lambda: "rotation" in view.records, timeout=30_000)
    r = view.records["rotation"]
    assert r.probs.shape == (6, 4, 4) and len(_images(view.widgets["rotation"])) == 24
    np.testing.assert_allclose(r.probs.sum(-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(r.images[0, 1], np.rot90(r.images[0, 0], 1, axes=(0, 1)), atol=1e-6)
    view.restore_state({"tab": "simclr"})
    qtbot.waitUntil(lambda: "simclr" in view.records, timeout=30_000)
    c = view.records["simclr"]
    assert c.similarity.shape == (16, 16) and np.allclose(np.diag(c.similarity), 1, atol=1e-5)
    assert len(_images(view.widgets["simclr"])) == 17
    view.restore_state({"tab": "clusters"})
    qtbot.waitUntil(lambda: "clusters" in view.records, timeout=60_000)
    g = view.records["clusters"]
    assert g.sizes.sum() == 360 and len(_images(view.widgets["clusters"])) == 10 and "purity" in view.status.text()
    state = view.view_state()
    assert json.loads(json.dumps(state)) == state == {"tab": "clusters", "seed": 0}
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "pretext.png"))
