"""The 3-D scatter on a real X display (Xvfb, Mesa's software OpenGL): its OpenGL view gets a
context and is what the user sees, not the "3-D needs OpenGL" notice; hovering names a point and
clicking picks it; in the Rectangle and Lasso modes a drag selects the points inside the region
drawn and leaves the camera where it was. Run in a child process because the test session itself is offscreen."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys, time
import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
sys.path.insert(0, sys.argv[1])
from qt_events import click, drag, move
from mlsp_gui.widgets.scatter_3d import Scatter3D

app = QApplication([])
def spin(seconds):
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)

rng = np.random.default_rng(3)
pos = rng.standard_normal((60, 3)).astype(np.float32)
scatter = Scatter3D()
scatter.resize(640, 480)
scatter.set_points(pos, np.full(60, 0xFF336699, np.uint32), labels=[f"p{i}" for i in range(60)])
scatter.show()
spin(1.0)
out = {"gl_ok": scatter.gl_ok, "showing_view": scatter.stack.currentWidget() is scatter.view}
sp = scatter.screen_positions()
target = int(np.argmin(np.hypot(*(sp - (scatter.view.width() / 2, scatter.view.height() / 2)).T)))
at = QPoint(int(round(sp[target, 0])), int(round(sp[target, 1])))
clicked = []
scatter.point_clicked.connect(clicked.append)
move(scatter.view, at)
spin(0.3)
click(scatter.view, at)
image = scatter.view.grabFramebuffer()
colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
out.update(target=target, hovered=scatter.hovered_index, text=scatter.hover_text(), clicked=list(clicked),
           drew_points="#336699" in colours and "#ffffff" in colours)
regions = []
scatter.region_selected.connect(lambda idx: regions.append([int(i) for i in idx]))
camera = scatter.view.viewMatrix().data()
x, y = sp[target]
inside = lambda x0, x1, y0, y1: sorted(int(i) for i in np.flatnonzero(
    (sp[:, 0] >= x0) & (sp[:, 0] <= x1) & (sp[:, 1] >= y0) & (sp[:, 1] <= y1)))
scatter.set_mode("rect")
drag(scatter.view, [QPoint(int(x) - 30, int(y) - 30), QPoint(int(x), int(y)), QPoint(int(x) + 30, int(y) + 30)])
drag(scatter.view, [QPoint(2, 2), QPoint(600, 400), QPoint(scatter.view.width() - 2, scatter.view.height() - 2)])
scatter.set_mode("lasso")
ring = [QPoint(int(x + 25 * np.cos(t)), int(y + 25 * np.sin(t))) for t in np.linspace(0, 2 * np.pi, 24)]
drag(scatter.view, ring)
out.update(regions=regions, expected_rect=inside(int(x) - 30, int(x) + 30, int(y) - 30, int(y) + 30),
           expected_ring=sorted(int(i) for i in np.flatnonzero(np.hypot(sp[:, 0] - x, sp[:, 1] - y) < 24)),
           camera_kept=scatter.view.viewMatrix().data() == camera, clicked_after=clicked)
print("RESULT " + json.dumps(out), flush=True)
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (the CI script installs it)")
def test_3d_view_gets_opengl_on_a_real_display_and_picks_points(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24 +extension GLX", sys.executable, "-c", SCRIPT,
                          str(ROOT / "tests" / "gui")], env=env, capture_output=True, text=True, timeout=180,
                         cwd=tmp_path)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert out.returncode == 0 and lines, out.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    assert result["gl_ok"] and result["showing_view"], result
    assert result["drew_points"], result
    assert result["hovered"] == result["target"] and result["text"] == f"p{result['target']}"
    assert result["clicked"] == [result["target"]]
    rect, everything, ring = result["regions"]
    target = result["target"]
    assert target in rect and rect == result["expected_rect"]
    assert everything == list(range(60))                                  # the camera frames the whole cloud
    assert target in ring and set(result["expected_ring"]) <= set(ring)
    assert result["camera_kept"]                                          # drawing a region does not orbit
    assert result["clicked_after"] == [result["target"]]                  # no drag was taken for a click
