"""The Image view: the current image input at full resolution, with the patch grid a vision
transformer cuts it into (the image squeezed to 224 × 224 in 16 × 16 patches: a 14 × 14 grid,
drawn here over the original pixels). Hovering reads out the pixel, its RGB value and its patch;
zoom and pan with the wheel and the mouse. `mlsp embed patches IMAGE` gives the same patches as
vectors, and the Projector's "Image patches" source shows them.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine.records.inputs import ImageInput
from mlsp_gui.evented import as_bool
from mlsp_gui.export import ExportTable
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.export_bar import ExportBar

GRID = 14                 # 224 / 16: the patches per side of ViT-B/16 (engine.loaders.patches)
HINT = ("No image input yet.<br><br>Open a PNG, JPEG, BMP or TIFF file (File → Open…), then select it in "
        "the Inputs dock.")


def grid_lines(width: int, height: int, cells: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the grid's lines, two points each (connect="pairs"), in pixel coordinates."""
    xs = np.linspace(0, width, cells + 1)
    ys = np.linspace(0, height, cells + 1)
    x = np.concatenate([np.repeat(xs, 2), np.tile([0, width], cells + 1)])
    y = np.concatenate([np.tile([0, height], cells + 1), np.repeat(ys, 2)])
    return x.astype(np.float64), y.astype(np.float64)


def patch_of(x: float, y: float, width: int, height: int, cells: int = GRID) -> tuple[int, int]:
    """(row, column) of the patch holding pixel (x, y)."""
    return (min(int(y * cells / height), cells - 1), min(int(x * cells / width), cells - 1))


class ImageView(View):
    """The current image with its patch grid and a pixel read-out."""

    title = "Image"
    order = 25
    group = "Vision"
    view_id = "image"
    needs_inputs = ("image",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.image_input: ImageInput | None = None
        self.grid_box = QCheckBox(f"Patch grid ({GRID} × {GRID}: ViT's 16 × 16 patches of the image at 224 × 224)")
        self.grid_box.setChecked(True)
        self.export_bar = ExportBar(lambda: self.plot_widget, self.export_table, ctx.notify, basename="image")
        top = QHBoxLayout()
        top.addWidget(self.grid_box)
        top.addStretch(1)
        top.addWidget(self.export_bar)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.setBackground("w")
        self.plot = self.plot_widget.addPlot()
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image_item)
        self.grid = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 255, 190), width=1))
        self.grid_shadow = pg.PlotCurveItem(pen=pg.mkPen((0, 0, 0, 120), width=3))
        self.plot.addItem(self.grid_shadow)
        self.plot.addItem(self.grid)
        self.readout = QLabel(" ")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.status)
        self.hint = EmptyHint(self.plot_widget, HINT)
        self.hint.show_if(True)
        self.grid_box.toggled.connect(self._show_grid)
        self.plot_widget.scene().sigMouseMoved.connect(self._hover)

    def on_input_changed(self, item) -> None:
        if item is not None and item.kind == "image" and item.record is not None and item.record is not self.image_input:
            self.show_record(item.record)

    def show_record(self, record: ImageInput) -> None:
        if not isinstance(record, ImageInput):
            raise TypeError(f"the Image view draws an ImageInput, not {type(record).__name__}")
        self.image_input = record
        self.image_item.setImage(np.asarray(record.pixels), autoLevels=False, levels=(0, 255))
        x, y = grid_lines(record.width, record.height)
        self.grid.setData(x, y, connect="pairs")
        self.grid_shadow.setData(x, y, connect="pairs")
        self._show_grid(self.grid_box.isChecked())
        self.plot.autoRange(padding=0.02)
        self.hint.show_if(False)
        note = f" · {html.escape(record.note)}" if record.note else ""
        self.status.setText(f"<b>{html.escape(record.name)}</b> · {record.width} × {record.height} pixels · "
                            f"file mode {html.escape(record.mode)}{note}")

    # view state: {"grid": bool} --------------------------------------------------------------------
    def current_state(self) -> dict:
        return {"grid": self.grid_box.isChecked()}

    def apply_state(self, state: dict) -> dict | None:
        grid = take(state, "grid", as_bool)
        if grid is not None:
            self.grid_box.setChecked(grid)
        return None

    def _show_grid(self, on: bool) -> None:
        self.grid.setVisible(on)
        self.grid_shadow.setVisible(on)

    def readout_at(self, x: float, y: float) -> str:
        """The read-out for image pixel coordinates (tests)."""
        self._hover(self.plot.vb.mapViewToScene(pg.Point(x, y)))
        return self.readout.text()

    def _hover(self, scene_pos) -> None:
        r = self.image_input
        if r is None:
            return
        p = self.plot.vb.mapSceneToView(scene_pos)
        x, y = int(np.floor(p.x())), int(np.floor(p.y()))
        if not (0 <= x < r.width and 0 <= y < r.height):
            self.readout.setText(" ")
            return
        red, green, blue = (int(v) for v in r.pixels[y, x])
        row, col = patch_of(x, y, r.width, r.height)
        self.readout.setText(f"x {x}, y {y} · RGB ({red}, {green}, {blue}) · patch r{row} c{col}")

    def export_table(self) -> ExportTable | None:
        r = self.image_input
        if r is None:
            return None
        h, w = r.height, r.width
        ys = np.linspace(0, h, GRID + 1).astype(int)
        xs = np.linspace(0, w, GRID + 1).astype(int)
        rows = [[i, j, *[round(float(v), 2) for v in r.pixels[ys[i]:max(ys[i + 1], ys[i] + 1),
                                                                xs[j]:max(xs[j + 1], xs[j] + 1)].reshape(-1, 3).mean(axis=0)]]
                for i in range(GRID) for j in range(GRID)]
        return ExportTable(arrays={"pixels": np.asarray(r.pixels), "grid": np.array(GRID)},
                           header=["row", "column", "mean_r", "mean_g", "mean_b"], rows=rows)


VIEW = ImageView

if __name__ == "__main__":
    run_standalone(ImageView)
