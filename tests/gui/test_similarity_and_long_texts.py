"""Defects 2 and 7 of issue 13 in the window: Sentence similarity and the projector say when a
text was cut to the model's token limit and offer the mean over windows; the similarity heatmap's
colours span the data (the range is written) and the whole sentences show on hover."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext

NOTE = "1 of 3 texts is longer than minilm's 256 tokens (up to 529): only its first 256 tokens are embedded."
TEXTS = ["The cat sat on the mat with a long story behind it.", "A kitten rested on the rug.",
         "Stock markets fell sharply today as investors worried."]


def _record() -> Embeddings:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(1, 16))
    vectors = (base + 0.6 * rng.normal(size=(3, 16))).astype(np.float32)    # cosines well inside (0, 1)
    return Embeddings(labels=TEXTS, vectors=vectors, model="minilm", truncated=(0,), note=NOTE)


def test_similarity_scales_to_the_data_and_says_what_was_cut(qtbot):
    from mlsp_gui.views.embeddings import EmbeddingsView

    notices = []
    ctx = AppContext.create(notify=lambda level, msg: notices.append((level, msg)))
    view = EmbeddingsView(ctx)
    qtbot.addWidget(view)
    record = _record()
    view.show_record(record)
    sim = record.cosine_similarity()
    off = sim[~np.eye(3, dtype=bool)]
    lo, hi = view.heatmap.levels()
    assert (lo, hi) != (-1.0, 1.0)
    assert abs(lo - off.min()) < 1e-4 and abs(hi - off.max()) < 1e-4
    assert f"{lo:.2f} – {hi:.2f}" in view.status.text()
    assert "only its first 256 tokens" in view.status.text()
    view.heatmap._set_hover(2, 0)
    tip = view.heatmap.view.toolTip()
    assert TEXTS[2] in tip and TEXTS[0] in tip


def test_windows_box_asks_for_the_mean_over_windows(qtbot):
    from mlsp_gui.views.embeddings import EmbeddingsView

    ctx = AppContext.create()
    view = EmbeddingsView(ctx)
    qtbot.addWidget(view)
    calls = []
    ctx.jobs.submit = lambda name, fn, *args, **kw: calls.append(args)
    view.windows_box.setChecked(True)
    view._submit(SimpleNamespace(name="minilm"), TEXTS)
    assert calls and calls[0][-1] is True


def test_projector_says_what_was_cut_and_offers_windows(qtbot):
    from mlsp_gui.views.projector import ProjectorView

    notices = []
    ctx = AppContext.create(notify=lambda level, msg: notices.append((level, msg)))
    view = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(view)
    view.set_embeddings(_record())
    assert "only its first 256 tokens" in view.info.text()
    assert ("warning", f"Projector: {NOTE}") in notices
    bar = view.source_bar
    bar.source.setCurrentIndex(bar.source.findData("sentences"))
    box = bar.option_spins["windows"]
    assert box.value() == 0
    box.setValue(1)
    assert bar.request().options["windows"] == 1
