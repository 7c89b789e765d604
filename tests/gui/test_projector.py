"""The projector view on hand-built Embeddings: search, click-for-neighbours, colour legend,
region selection and its export, t-SNE progress and cancel, TSV import/export."""
import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from qt_events import click, move

from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext
from mlsp_gui.views import _projector_io as io
from mlsp_gui.views.projector import ProjectorView
from mlsp_gui.widgets.palettes import CATEGORICAL, OKABE_ITO, OTHER, hex_to_rgb, pack

GROUPS = ["colour", "animal", "food", "country", "number"]


def make_embeddings(per=40, dim=24, seed=0) -> Embeddings:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((len(GROUPS), dim)) * 4
    labels, vecs, groups = [], [], []
    for g, name in enumerate(GROUPS):
        for i in range(per if g else per * 2):           # "colour" twice as many: legend order by count
            labels.append(f"{name}{i}")
            vecs.append(centres[g] + rng.standard_normal(dim))
            groups.append(name)
    n = len(labels)
    return Embeddings(labels=labels, vectors=np.asarray(vecs, np.float32), kind="word", model="hand-built",
                      metadata={"word": labels, "group": groups, "count": [str(10 * n - 7 * i) for i in range(n)]})


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(v)
    v.resize(1200, 760)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def shown(qtbot, view, emb):
    view.show_record(emb)
    qtbot.waitUntil(lambda: view.proj is not None and not view.busy(), timeout=20_000)
    QApplication.processEvents()


def screen_pos(view, index) -> QPoint:
    """Where point `index` is on the plot's viewport, in pixels."""
    x, y = view.proj.coords[index, :2]
    scene = view.scatter2d.vb.mapViewToScene(QPointF(float(x), float(y)))
    return view.scatter2d.plot.mapFromScene(scene)


def drag(widget, start: QPoint, end: QPoint, steps=8):
    """Press, move in steps, release."""
    path = [QPoint(start.x() + (end.x() - start.x()) * k // steps, start.y() + (end.y() - start.y()) * k // steps)
            for k in range(steps + 1)]
    drag_path(widget, path)


def drag_path(widget, path: list[QPoint]):
    """Press at path[0], move through the rest, release at the end; pyqtgraph drops moves that
    come closer than 1/mouseRateLimit s apart, so each waits that long."""
    left = Qt.MouseButton.LeftButton
    gap_ms = int(1000 / max(pg.getConfigOption("mouseRateLimit"), 1)) + 5

    def ev(kind, pos, button, buttons):
        return QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                           Qt.KeyboardModifier.NoModifier)

    move(widget, path[0])
    QApplication.sendEvent(widget, ev(QEvent.Type.MouseButtonPress, path[0], left, left))
    for p in path[1:]:
        QTest.qWait(gap_ms)
        QApplication.sendEvent(widget, ev(QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left))
        QApplication.processEvents()
    QApplication.sendEvent(widget, ev(QEvent.Type.MouseButtonRelease, path[-1], left, Qt.MouseButton.NoButton))
    QApplication.processEvents()


def test_search_highlights_the_matching_points(qtbot, view):
    emb = make_embeddings()
    shown(qtbot, view, emb)
    view.search_edit.setText("AL1")                       # substring, case-insensitive
    view.run_search()
    expected = [i for i, s in enumerate(emb.labels) if "al1" in s.lower()]
    assert list(view.matches) == expected and len(expected) > 5
    assert f"{len(expected)} of {len(emb.labels)} match" in view.match_label.text()
    assert sorted(view.scatter2d.cloud.top) == expected               # drawn on top, the rest faded
    view.regex_box.setChecked(True)
    view.search_edit.setText(r"^food(1|2)\d$")
    view.run_search()
    assert list(view.matches) == [i for i, s in enumerate(emb.labels) if re.fullmatch(r"food(1|2)\d", s)]
    view.search_edit.setText("food(")
    view.run_search()
    assert "not a valid regular expression" in view.match_label.text()


def test_clicking_a_point_lists_its_true_nearest_neighbours(qtbot, view):
    emb = make_embeddings()
    shown(qtbot, view, emb)
    target = 57
    view.k_spin.setValue(6)
    view.nn_metric.setCurrentText("cosine")
    qtbot.waitUntil(lambda: not view.busy(), timeout=5000)
    click(view.scatter2d.plot.viewport(), screen_pos(view, target))
    assert view.selected == target
    qtbot.waitUntil(lambda: view.neighbor_list is not None, timeout=10_000)
    v = emb.vectors.astype(np.float64)
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    sims = u @ u[target]
    sims[target] = -np.inf
    truth = np.argsort(-sims)[:6]
    rows = [view.neighbor_tree.topLevelItem(i) for i in range(view.neighbor_tree.topLevelItemCount())]
    assert [r.text(1) for r in rows] == [emb.labels[i] for i in truth]
    np.testing.assert_allclose([float(r.text(2)) for r in rows], sims[truth], atol=1e-4)
    assert list(view.scatter2d.cloud.neighbors) == list(truth) and view.scatter2d.cloud.selected == target


def test_colouring_by_a_column_builds_the_legend(qtbot, view):
    emb = make_embeddings()
    shown(qtbot, view, emb)
    view.color_combo.setCurrentIndex(view.color_combo.findData("group"))
    rows = view.legend.rows()
    assert [r[0] for r in rows][0] == "colour"                       # the most frequent first
    assert sorted(r[0] for r in rows) == sorted(GROUPS)
    assert [r[1] for r in rows] == OKABE_ITO[:5]
    assert [view.legend.list.item(i).text() for i in range(5)][0] == "colour  (80)"
    colour_of = {name: pack(np.array([hex_to_rgb(c)]))[0] for name, c in rows}
    expected = np.array([colour_of[g] for g in emb.metadata["group"]], np.uint32)
    np.testing.assert_array_equal(view.scatter2d.cloud.base_colors, expected)
    view.color_combo.setCurrentIndex(view.color_combo.findData("count"))
    counts = np.asarray(emb.metadata["count"], float)
    lo, hi = view.legend.coloring.numeric_range
    assert (lo, hi) == pytest.approx(tuple(np.percentile(counts, [2, 98])))
    assert view.legend.bar.isVisible() and not view.legend.list.isVisible()


def test_the_shipped_word2vec_vocabulary_opens_coloured_by_meaning(qtbot, view):
    from engine.probes.embed import embed_vocabulary
    from engine.zoo import load_model

    emb = embed_vocabulary(load_model("word2vec", device="cpu"))
    shown(qtbot, view, emb)
    assert view.color_combo.currentData() == "group"
    groups = {name for name, _ in view.legend.rows()}
    assert {"people", "country", "capital", "animal", "food", "colour", "number", "verb"} <= groups
    rows = view.legend.rows()
    colours = [c for _, c in rows]
    assert len(set(colours)) == len(colours)                            # one colour per group, none shared
    assert rows[-1] == ("other", OTHER)         # the biggest bucket, yet last and grey: the groups stand out
    assert colours[:-1] == CATEGORICAL[:len(rows) - 1]
    row = {w: g for w, g in zip(emb.labels, emb.metadata["group"])}
    assert (row["king"], row["paris"], row["france"], row["dog"]) == ("people", "capital", "country", "animal")


def test_rectangle_selection_exports_the_right_rows(qtbot, view, tmp_path):
    emb = make_embeddings()
    shown(qtbot, view, emb)
    food = [i for i, g in enumerate(emb.metadata["group"]) if g == "food"]
    xy = view.proj.coords
    lo, hi = xy[food].min(axis=0), xy[food].max(axis=0)
    others = np.delete(np.arange(len(xy)), food)
    pad = 0.2 * np.min(np.abs(xy[others] - (lo + hi) / 2).max(axis=1))   # the box stays clear of other groups
    inside = lambda p: np.all((xy[p] >= lo - pad) & (xy[p] <= hi + pad))
    assert not any(inside(p) for p in others)
    view.mode_group.buttons()[1].click()                               # Rectangle
    vb, plot = view.scatter2d.vb, view.scatter2d.plot
    a = plot.mapFromScene(vb.mapViewToScene(QPointF(lo[0] - pad, hi[1] + pad)))
    b = plot.mapFromScene(vb.mapViewToScene(QPointF(hi[0] + pad, lo[1] - pad)))
    area = plot.mapFromScene(vb.sceneBoundingRect()).boundingRect().adjusted(2, 2, -2, -2)
    clip = lambda p: QPoint(min(max(p.x(), area.left()), area.right()), min(max(p.y(), area.top()), area.bottom()))
    drag(plot.viewport(), clip(a), clip(b))                           # every point is inside the view
    assert list(view.region) == food
    assert view.region_label.text() == f"{len(food)} selected"
    io.export(view, "selection", str(tmp_path / "sel.tsv"))
    lines = (tmp_path / "sel.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:2] == ["index", "label"] and header[-2:] == ["x", "y"] and "group" in header
    rows = [line.split("\t") for line in lines[1:]]
    assert [int(r[0]) for r in rows] == food and [r[1] for r in rows] == [emb.labels[i] for i in food]
    np.testing.assert_allclose([[float(r[-2]), float(r[-1])] for r in rows], xy[food], rtol=1e-6)


def test_lasso_selects_the_points_inside_the_drawn_shape(qtbot, view):
    emb = make_embeddings()
    shown(qtbot, view, emb)
    view.mode_group.buttons()[2].click()                               # Lasso
    vb, plot = view.scatter2d.vb, view.scatter2d.plot
    area = plot.mapFromScene(vb.sceneBoundingRect()).boundingRect()
    cx, cy, r = area.center().x(), area.center().y(), 0.3 * min(area.width(), area.height())
    path = [QPoint(int(cx + r * np.cos(t)), int(cy + r * np.sin(t))) for t in np.linspace(0, 2 * np.pi, 24)]
    drag_path(plot.viewport(), path)
    # the same polygon in data coordinates; the truth is a plain even-odd test per point
    poly = np.array([[p.x(), p.y()] for p in (vb.mapSceneToView(plot.mapToScene(q)) for q in path)])
    xy = view.proj.coords
    inside = []
    for i, (x, y) in enumerate(xy):
        crossings = 0
        for (ax, ay), (bx, by) in zip(poly, np.roll(poly, 1, axis=0)):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                crossings += 1
        if crossings % 2:
            inside.append(i)
    assert len(inside) > 0 and list(view.region) == inside
    assert sorted(view.scatter2d.cloud.top) == inside                  # the selection is drawn on top


def test_tsne_reports_progress_and_cancels(qtbot, view):
    emb = make_embeddings(per=20)
    shown(qtbot, view, emb)
    pca = view.proj
    view.controls.set_method("tsne")
    view.controls.iterations.setValue(100_000)
    view.controls.perplexity.setValue(10)
    view.project()
    qtbot.waitUntil(lambda: "t-SNE: step" in view.controls.status.text(), timeout=30_000)   # past the neighbours
    assert view.controls.progress.value() >= 200 and view.controls.cancel_button.isEnabled()
    view.controls.cancel_button.click()
    qtbot.waitUntil(lambda: not view.busy(), timeout=10_000)
    assert view.proj is pca and view.controls.status.text() == "cancelled"
    assert any(j.status == "cancelled" for j in view.ctx.jobs.jobs())
    view.controls.iterations.setValue(300)
    view.project()
    qtbot.waitUntil(lambda: view.proj is not pca and not view.busy(), timeout=60_000)
    assert view.proj.method == "tsne" and view.proj.iterations_done == 300


def test_umap_from_the_window_keeps_the_clusters_apart(qtbot, view):
    pytest.importorskip("umap", reason="umap-learn is the optional extra 'umap'")
    from sklearn.manifold import trustworthiness

    emb = make_embeddings(per=40)
    shown(qtbot, view, emb)
    view.controls.set_method("umap")
    view.controls.neighbors.setValue(10)
    view.controls.min_dist.setValue(0.2)
    view.controls.epochs.setValue(10_000)                 # cancelled mid-way: the next run must not hang
    view.project()
    qtbot.waitUntil(lambda: "UMAP: epoch" in view.controls.status.text(), timeout=120_000)
    view.controls.cancel_button.click()
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    assert view.controls.status.text() == "cancelled" and view.proj.method == "pca"
    view.controls.epochs.setValue(100)
    view.project()
    qtbot.waitUntil(lambda: view.proj.method == "umap" and not view.busy(), timeout=120_000)
    assert view.proj.coords.shape == (len(emb.vectors), 2) and view.proj.iterations_done == 100
    assert trustworthiness(emb.vectors, view.proj.coords, n_neighbors=10) > 0.9
    assert view.controls.status.text().startswith("UMAP · 2-D · ")


def test_import_and_export_projector_tsv(qtbot, view, tmp_path):
    emb = make_embeddings(per=10)
    shown(qtbot, view, emb)
    io.export(view, "projector", str(tmp_path / "vectors.tsv"))
    io.export(view, "coords", str(tmp_path / "coords.tsv"))
    assert (tmp_path / "metadata.tsv").read_text(encoding="utf-8").splitlines()[0] == "word\tgroup\tcount"
    coords = (tmp_path / "coords.tsv").read_text(encoding="utf-8").splitlines()
    assert len(coords) == len(emb.labels) + 1 and coords[1].startswith("0\tcolour0\t")
    other = ProjectorView(view.ctx, auto_load=False)
    qtbot.addWidget(other)
    other.source_bar.import_files(str(tmp_path / "vectors.tsv"), str(tmp_path / "metadata.tsv"))
    qtbot.waitUntil(lambda: other.proj is not None and not other.busy(), timeout=20_000)
    np.testing.assert_array_equal(other.emb.vectors, emb.vectors)
    assert other.emb.labels == emb.labels and other.emb.metadata == emb.metadata
    np.testing.assert_allclose(np.abs(other.proj.coords), np.abs(view.proj.coords), rtol=1e-5, atol=1e-5)
    notices = []
    other.ctx.notify = lambda level, message: notices.append((level, message))
    (tmp_path / "bad.tsv").write_text("1\t2\nx\t3\n", encoding="utf-8")
    other.source_bar.import_files(str(tmp_path / "bad.tsv"), None)            # a bad file: nothing lost
    qtbot.waitUntil(lambda: not other.busy(), timeout=10_000)
    assert notices and notices[-1][0] == "error" and "line 2: 'x' is not a number" in notices[-1][1]
    assert other.emb.labels == emb.labels and other.proj is not None


def test_hover_shows_the_point_under_the_mouse(qtbot, view):
    emb = make_embeddings(per=10)
    shown(qtbot, view, emb)
    with qtbot.waitSignal(view.scatter2d.hovered, timeout=3000) as sig:
        move(view.scatter2d.plot.viewport(), screen_pos(view, 33))
    assert sig.args == [33] and view.scatter2d.cloud.hovered == 33


def test_empty_canvas_says_what_to_do_until_points_are_drawn(qtbot, view):
    assert view.empty_hint.isVisible() and "Press <b>Load</b>" in view.empty_hint.text()
    assert view.canvas.rect().contains(view.empty_hint.geometry())
    shown(qtbot, view, make_embeddings(per=10))
    assert not view.empty_hint.isVisible()
