"""The Image view: the pixels drawn are the input's, the 14 × 14 patch grid lies over the whole
image, the read-out names the pixel, its RGB value and its patch, the export holds the pixels; in
the window it follows the current image and the Projector loads its patches."""
import numpy as np
import pytest
from PIL import Image

from engine.records.inputs import ImageInput
from mlsp_gui.context import AppContext
from mlsp_gui.views.image_view import GRID, ImageView, grid_lines, patch_of


def picture(w=280, h=140) -> ImageInput:
    px = np.zeros((h, w, 3), np.uint8)
    px[:, :, 0] = np.arange(w)[None, :] % 256          # red grows to the right
    px[:, :, 2] = np.arange(h)[:, None] % 256          # blue grows downwards
    return ImageInput(path=None, name="ramp.png", pixels=px, width=w, height=h, mode="RGB", note="")


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = ImageView(ctx)
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.wait(5_000)


def test_pixels_grid_and_readout(qtbot, view, tmp_path):
    assert view.hint.isVisible()
    record = picture()
    view.show_record(record)
    np.testing.assert_array_equal(view.image_item.image, record.pixels)
    assert not view.hint.isVisible() and "280 × 140 pixels" in view.status.text()
    x, y = view.grid.getData()
    assert len(x) == 4 * (GRID + 1) and x.max() == 280 and y.max() == 140       # (GRID + 1) lines each way
    assert view.readout_at(200.5, 70.5) == "x 200, y 70 · RGB (200, 0, 70) · patch r7 c10"
    assert patch_of(279, 139, 280, 140) == (GRID - 1, GRID - 1)
    view.grid_box.setChecked(False)
    assert not view.grid.isVisible()
    written = view.export_bar.export("npz", tmp_path / "img.npz")
    with np.load(written) as z:
        np.testing.assert_array_equal(z["pixels"], record.pixels)
    csv = view.export_bar.export("csv", tmp_path / "img.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv) == 1 + GRID * GRID and csv[0] == "row,column,mean_r,mean_g,mean_b"
    lx, ly = grid_lines(10, 20, 2)
    assert list(lx[:6]) == [0, 0, 5, 5, 10, 10] and list(ly[6:]) == [0, 0, 10, 10, 20, 20]


def test_in_the_window_it_follows_the_image_and_the_projector_loads_its_patches(make_main_window, app_dirs, qtbot):
    window = make_main_window(open_views=["image", "projector"])
    view, proj = window.views.view("image"), window.views.view("projector")
    path = app_dirs.files / "ramp.png"
    Image.fromarray(picture().pixels).save(path)
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: view.image_input is not None, timeout=15_000)
    assert view.image_input.path == str(path)
    window.tabs.setCurrentWidget(proj)
    qtbot.waitUntil(lambda: not proj.busy(), timeout=60_000)
    bar = proj.source_bar
    bar.source.setCurrentIndex(bar.source.findData("image-patches"))
    assert bar.model.currentText() == "patches"
    bar.load_button.click()
    qtbot.waitUntil(lambda: proj.fetched_from == ("image-patches", "patches") and proj.proj is not None
                    and not proj.busy(), timeout=60_000)
    assert len(proj.emb.labels) == 196 and proj.emb.labels[15] == "r1 c1"
    assert proj.color_combo.currentData() == "brightness"
