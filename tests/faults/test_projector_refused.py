"""Issue 14, failure 1: a refused projector load leaves the previous state whole — vectors, labels,
coordinates, selection, colouring and what Export writes — and clicks, searches and colour changes
after it raise nothing."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext
from mlsp_gui.views import _projector_io as io
from mlsp_gui.views.projector import ProjectorView


def embeddings(n: int, dim: int = 8, seed: int = 0, prefix: str = "w") -> Embeddings:
    rng = np.random.default_rng(seed)
    labels = [f"{prefix}{i}" for i in range(n)]
    groups = [f"g{i % 4}" for i in range(n)]
    return Embeddings(labels=labels, vectors=rng.standard_normal((n, dim)).astype(np.float32), kind="word",
                      model="hand-built", metadata={"group": groups})


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    notices: list[tuple[str, str]] = []
    ctx.notify = lambda level, message, *a, **k: notices.append((level, message))
    v.notices = notices
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def snapshot(view) -> dict:
    return {"labels": list(view.emb.labels), "vectors": view.emb.vectors.copy(), "coords": view.proj.coords.copy(),
            "selected": view.selected, "region": view.region.copy(), "color": view.coloring.column,
            "points": view.scatter2d.cloud.count(), "fetched_from": view.fetched_from}


def same(a: dict, b: dict) -> None:
    assert a["labels"] == b["labels"] and a["selected"] == b["selected"] and a["color"] == b["color"]
    np.testing.assert_array_equal(a["vectors"], b["vectors"])
    np.testing.assert_array_equal(a["coords"], b["coords"])
    np.testing.assert_array_equal(a["region"], b["region"])
    assert a["points"] == b["points"] and a["fetched_from"] == b["fetched_from"]


def loaded(qtbot, view, emb) -> None:
    view.show_record(emb)
    qtbot.waitUntil(lambda: view.proj is not None and view.emb is emb and not view.busy(), timeout=30_000)


def settle(qtbot, view) -> None:
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    QApplication.processEvents()


def use_everything(view, tmp_path) -> None:
    """What raised IndexError after the audited refusal: click, search, colour, select, export."""
    n = len(view.emb.labels)
    view.select_point(n - 1)
    view.state.set_search("w1")
    view.run_search()
    view.state.set_color_by("group")
    view.set_region(np.arange(n - 5, n))
    out = tmp_path / "coords.tsv"
    io.export(view, "coords", str(out))
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == n + 1 and rows[-1].split("\t")[1] == view.emb.labels[-1]


def test_non_finite_vectors_are_refused_and_change_nothing(qtbot, view, tmp_path) -> None:
    loaded(qtbot, view, embeddings(300))
    view.select_point(250)
    view.set_region(np.arange(200, 240))
    settle(qtbot, view)
    before = snapshot(view)
    bad = embeddings(40, prefix="frame")
    bad.vectors[3:9] = np.nan
    view.show_record(bad)
    settle(qtbot, view)
    same(before, snapshot(view))
    message = view.notices[-1][1]
    assert "not loaded" in message and "6 of 40 vectors" in message and "300 points" in message
    use_everything(view, tmp_path)


def test_a_failed_projection_changes_nothing(qtbot, view, tmp_path, monkeypatch) -> None:
    loaded(qtbot, view, embeddings(300))
    view.select_point(120)
    settle(qtbot, view)
    before = snapshot(view)

    def failing(state, vectors, params, init):
        raise ValueError("the projection failed on purpose")

    monkeypatch.setattr(io, "project_job", failing)
    view.source_bar._fetched(embeddings(101, prefix="frame"), "audio-frames", "logmel", False, view.source_token)
    settle(qtbot, view)
    same(before, snapshot(view))
    assert "300 points" in view.notices[-1][1] and "on purpose" in view.notices[-1][1]
    monkeypatch.undo()
    use_everything(view, tmp_path)


def test_a_good_load_after_a_refused_one_replaces_everything(qtbot, view) -> None:
    loaded(qtbot, view, embeddings(300))
    bad = embeddings(40, prefix="frame")
    bad.vectors[0, 0] = np.inf
    view.show_record(bad)
    settle(qtbot, view)
    good = embeddings(50, prefix="frame", seed=2)
    loaded(qtbot, view, good)
    assert len(view.proj.coords) == 50 and view.scatter2d.cloud.count() == 50 and view.selected == -1
