"""Defects 4 and 5 of issue 13: the 3-D projector names the searched, selected, hovered points and
the neighbours, draws a reference frame and fits the camera to the cloud; the neighbours' header
never stays over an empty list; sentences are labelled by their text and coloured by topic; UMAP's
boxes are never clipped; thirteen groups get thirteen distinct colours."""
from __future__ import annotations

import numpy as np
import pytest
from fit_support import SIZES, sized_window, wholly_visible
from PySide6.QtWidgets import QApplication
from window_support import wait_jobs

# Loading a model may start tqdm's monitor thread; the window fixture would count it as left running.
try:
    import tqdm

    tqdm.tqdm.monitor_interval = 0
except ImportError:
    pass

from engine.projection.sources.sentences import topic_column
from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView, default_color_column, shown_labels
from mlsp_gui.widgets.palettes import color_by, hex_to_rgb
from mlsp_gui.widgets.scatter_3d import Scatter3D, _gl_module


def _lab(hexcolor: str) -> np.ndarray:
    c = np.array(hex_to_rgb(hexcolor)) / 255
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ c
    x, y, z = xyz / np.array([0.9505, 1.0, 1.089])
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return np.array([116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))])


def test_thirteen_groups_get_thirteen_distinct_colours():
    groups = [f"group{i}" for i in range(13)]
    coloring = color_by("group", [g for g in groups for _ in range(5)], 65)
    colours = [e.color for e in coloring.entries]
    assert len(colours) == 13 and len(set(colours)) == 13
    labs = [_lab(c) for c in colours]
    closest = min(np.linalg.norm(a - b) for i, a in enumerate(labs) for b in labs[i + 1:])
    assert closest > 25                  # verb/country, animal/capital no longer share a colour


def test_neighbours_header_is_cleared_with_new_vectors(qtbot):
    view = ProjectorView(AppContext.create(), auto_load=False)
    qtbot.addWidget(view)
    rng = np.random.default_rng(0)
    words = Embeddings(labels=[f"w{i}" for i in range(30)], vectors=rng.normal(size=(30, 4)).astype(np.float32))
    view.set_embeddings(words)
    view.selected = 3
    view.point_label.setText("<b>king</b> · 10 nearest (cosine, 4-d)")
    other = Embeddings(labels=[f"s{i}" for i in range(20)], vectors=rng.normal(size=(20, 4)).astype(np.float32))
    view.set_embeddings(other)
    assert view.selected == -1 and view.neighbor_tree.topLevelItemCount() == 0
    assert "king" not in view.point_label.text()


def test_sentences_are_labelled_by_text_and_coloured_by_topic():
    texts = ["Stocks fell sharply on Monday.", "Shares dropped on Wall Street.", "Markets slid as rates rose.",
             "Investors sold bank shares.", "The cat sat on the mat.", "A kitten slept on the rug.",
             "The dog chased the ball.", "A puppy played in the garden."]
    finance, animals = np.array([1.0, 0, 0, 0.1]), np.array([0, 1.0, 0, 0.1])
    rng = np.random.default_rng(2)
    vectors = np.stack([finance] * 4 + [animals] * 4) + 0.05 * rng.normal(size=(8, 4))
    topics = topic_column(vectors, texts)
    assert len(set(topics[:4])) == 1 and len(set(topics[4:])) == 1 and topics[0] != topics[4]
    emb = Embeddings(labels=texts, vectors=vectors.astype(np.float32),
                     metadata={"topic": topics, "text": texts, "line": [str(i + 1) for i in range(8)]})
    assert default_color_column(emb) == "topic"
    long = Embeddings(labels=["word " * 30], vectors=np.zeros((1, 4), np.float32))
    assert shown_labels(long)[0].endswith("…") and len(shown_labels(long)[0]) == 40


@pytest.mark.parametrize("size", SIZES)
def test_umap_boxes_are_never_clipped(make_main_window, qtbot, size):
    window = sized_window(make_main_window, qtbot, size, ["projector"])
    window.views.open("projector", focus=True)
    view = window.views.view("projector")
    controls = view.controls
    controls.method.setCurrentIndex(controls.method.findData("umap"))
    QApplication.processEvents()
    for box in (controls.neighbors, controls.min_dist, controls.epochs, controls.run_button, controls.metric):
        assert wholly_visible(window, box), f"{box} clipped at {size}"
        assert box.width() >= box.sizeHint().width()
    wait_jobs(qtbot, window, timeout=180000)


@pytest.mark.skipif(_gl_module() is None, reason="pyqtgraph.opengl does not import here")
def test_3d_names_points_draws_axes_and_fits_the_camera(qtbot):
    scatter = Scatter3D()
    qtbot.addWidget(scatter)
    scatter.resize(800, 500)
    rng = np.random.default_rng(1)
    pos = (rng.normal(size=(300, 3)) * np.array([10.0, 1.0, 0.3])).astype(np.float32)   # a long, flat cloud
    labels = [f"p{i}" for i in range(300)]
    scatter.set_points(pos, np.full(300, 0xFF336699, np.uint32), labels=labels)
    scatter.show()
    qtbot.waitUntil(lambda: scatter.view is not None, timeout=5000)
    scatter._centre_camera()
    assert 0.7 <= scatter.fill_fraction() <= 0.9
    assert scatter.axes is not None and [t.text for t in scatter._axis_texts] == ["1", "2", "3"]
    scatter.set_markers(5, np.array([6, 7, 8]), labels, matches=np.array([40, 41]))
    assert set(scatter.text_labels()) == {"p5", "p6", "p7", "p8", "p40", "p41"}
