"""The 3-D scatter makes its OpenGL view only when first shown (an OpenGL widget anywhere in a window
makes Qt composite the whole window through OpenGL on every repaint); points, colours and marks
set before that reach the view when it is made."""
import numpy as np
import pytest
from PySide6.QtOpenGLWidgets import QOpenGLWidget

from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView
from mlsp_gui.widgets.scatter_3d import Scatter3D, _gl_module

pytestmark = pytest.mark.skipif(_gl_module() is None, reason="pyqtgraph.opengl does not import here")


def test_points_set_before_the_first_show_reach_the_view(qtbot):
    scatter = Scatter3D()
    qtbot.addWidget(scatter)
    pos = np.random.default_rng(0).standard_normal((50, 3)).astype(np.float32)
    colors = np.full(50, 0xFF336699, np.uint32)
    scatter.set_points(pos, colors, size=4.0)
    scatter.set_markers(3, np.array([1, 2]), [f"w{i}" for i in range(50)])
    assert scatter.view is None and not scatter.findChildren(QOpenGLWidget)
    assert scatter.drawn_count() == 0
    scatter.show()
    assert isinstance(scatter.view, QOpenGLWidget)
    assert scatter.drawn_count() == 50
    np.testing.assert_array_equal(scatter.scatter.pos, pos)
    np.testing.assert_array_equal(scatter.marks.pos, pos[[1, 2, 3]])


def test_the_projector_holds_no_opengl_widget_until_3d_is_shown(qtbot):
    rng = np.random.default_rng(1)
    emb = Embeddings(labels=[f"p{i}" for i in range(300)], vectors=rng.standard_normal((300, 6)).astype(np.float32),
                     kind="tsv", metadata={})
    ctx = AppContext.create()
    view = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_record(emb)
    qtbot.waitUntil(lambda: view.proj is not None and not view.busy(), timeout=60_000)
    assert view.proj.dims == 2 and not view.findChildren(QOpenGLWidget)
    view.controls.set_dims(3)
    qtbot.waitUntil(lambda: view.proj.dims == 3 and not view.busy(), timeout=60_000)
    assert len(view.findChildren(QOpenGLWidget)) == 1
    assert view.scatter3d.drawn_count() == 300
    np.testing.assert_allclose(view.scatter3d.scatter.pos, view.proj.coords, rtol=1e-6)
    ctx.jobs.wait(10_000)


def test_hovering_names_the_point_and_clicking_picks_it(qtbot):
    """Mouse events go straight to the GL view (under the offscreen platform it has no GL context
    and stays hidden, but it has a size and a camera, which is all picking uses)."""
    from PySide6.QtCore import QPoint
    from qt_events import click, move

    scatter = Scatter3D()
    qtbot.addWidget(scatter)
    scatter.resize(600, 500)
    pos = np.random.default_rng(2).standard_normal((40, 3)).astype(np.float32)
    labels = [f"w{i}" for i in range(40)]
    scatter.set_points(pos, np.full(40, 0xFF336699, np.uint32), labels=labels)
    scatter.show()
    qtbot.waitExposed(scatter)
    hovered, clicked = [], []
    scatter.hovered.connect(hovered.append)
    scatter.point_clicked.connect(clicked.append)
    screen = scatter.screen_positions()
    assert screen.shape == (40, 2) and np.isfinite(screen).all()
    assert scatter.screen_positions() is screen                  # cached while the camera stays put
    # the point nearest the centre, far enough from the others that the pick is not ambiguous
    target = int(min(range(40), key=lambda i: np.hypot(*(screen[i] - (300, 250)))))
    assert np.delete(np.hypot(*(screen - screen[target]).T), target).min() > 2
    at = QPoint(int(round(screen[target, 0])), int(round(screen[target, 1])))
    move(scatter.view, at)
    qtbot.waitUntil(lambda: scatter.hovered_index == target, timeout=2000)
    assert scatter.hover_text() == f"w{target}" and hovered[-1] == target
    click(scatter.view, at)
    assert clicked == [target]
    assert np.hypot(*(screen - (3.0, 3.0)).T).min() > 8                # a corner with no point near it
    move(scatter.view, QPoint(3, 3))
    qtbot.waitUntil(lambda: scatter.hovered_index == -1, timeout=2000)
    assert scatter.hover_text() == "" and hovered[-1] == -1
    click(scatter.view, QPoint(3, 3))
    assert clicked == [target, -1]
    scatter.view.orbit(40, 10)                                   # the camera moves: positions are new
    moved = scatter.screen_positions()
    assert moved is not screen and not np.allclose(moved, screen)
