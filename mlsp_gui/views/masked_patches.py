"""Masked patches: MAE's figure, live. The image at the model's input size, the masked input, the
reconstruction, and the reconstruction with the visible patches pasted back, plus each patch's
reconstruction error. A mask-ratio slider and "New mask" draw a random mask; clicking a patch on
any panel hides or shows it; every change is reconstructed at once. It works on the current image
input (resized) or a held-out digit, with the chosen model when it can reconstruct (else the
shipped vit-mae), and follows a training run's checkpoints: the reconstructions sharpen."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSlider, QSpinBox, QVBoxLayout, QWidget

from engine.records.vision import Reconstruction
from mlsp_gui.evented import int_in
from mlsp_gui.export import ExportTable
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._vision_model import digit_input, image_to_rgb, load_checkpoint_model, model_for
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.export_bar import ExportBar
from mlsp_gui.widgets.flow_layout import FlowLayout

PANELS = ("original", "masked", "prediction", "pasted back", "error")


def _reconstruct(state, model, image, mask):
    from engine.probes.reconstruct import reconstruct

    return reconstruct(model, image, mask=mask)


def as_ratio(value) -> int:
    """A mask ratio (0.05..0.95, or a percentage 5..95) -> the slider's percent."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("a number")
    percent = round(float(value) * 100) if float(value) <= 1 else round(float(value))
    if not 5 <= percent <= 95:
        raise ValueError("a mask ratio from 0.05 to 0.95")
    return int(percent)


class MaskedPatchesView(View):
    title = "Masked patches"
    order = 26
    group = "Vision"
    view_id = "masked_patches"
    needs = "reconstruct"
    needs_inputs = ("image",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.slots = JobSlots(ctx.jobs, f"masked_patches:{id(self)}")
        self.model = None
        self.model_ref = ""
        self.record: Reconstruction | None = None
        self.image = None
        self.mask: np.ndarray | None = None
        self.seed = 0
        self.source = QComboBox()
        self.source.addItems(["current image", "held-out digit"])
        self.digit = QSpinBox()
        self.digit.setRange(0, 359)
        self.ratio = QSlider(Qt.Orientation.Horizontal)
        self.ratio.setRange(5, 95)
        self.ratio.setValue(75)
        self.ratio.setFixedWidth(160)
        self.ratio_label = QLabel("mask 75%")
        self.new_mask = QPushButton("New random mask")
        self.export_bar = ExportBar(lambda: self.plot_widget, self.export_table, ctx.notify, basename="masked_patches")
        top_box = QWidget()
        top = FlowLayout(top_box, spacing=6)           # wraps in a narrow window instead of squeezing
        for w in (QLabel("Image:"), self.source, self.digit, self.ratio_label, self.ratio, self.new_mask):
            top.addWidget(w)
        top.addWidget(self.export_bar)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.setBackground("w")
        self.plots, self.items = [], []
        for title in PANELS:
            plot = self.plot_widget.addPlot(title=title)
            plot.setAspectLocked(True)
            plot.invertY(True)
            plot.hideAxis("bottom")
            plot.hideAxis("left")
            plot.setMouseEnabled(False, False)
            item = pg.ImageItem(axisOrder="row-major")
            plot.addItem(item)
            self.plots.append(plot)
            self.items.append(item)
        for col in range(len(PANELS)):                    # equal columns: the panels are drawn at one size
            self.plot_widget.ci.layout.setColumnStretchFactor(col, 1)
            self.plot_widget.ci.layout.setColumnPreferredWidth(col, 10)
        self.status = QLabel("Choose vit-mae (or a vit-mae run) and an image; the shipped vit-mae is used otherwise.")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(top_box)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.status)
        self.ratio.valueChanged.connect(self._on_ratio)
        self.new_mask.clicked.connect(self.new_random_mask)
        self.source.currentIndexChanged.connect(lambda _i: self._pick_image())
        self.digit.valueChanged.connect(lambda _v: self._pick_image())
        self.plot_widget.scene().sigMouseClicked.connect(self._clicked)

    # model and image (loaded when the view is on screen) ---------------------------------------------
    def showEvent(self, event) -> None:          # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.model is None:
            self.on_model_changed(self.ctx.session.model)

    def on_model_changed(self, ref: str) -> None:
        want = model_for(ref, "reconstruct", "vit-mae")
        if (want == self.model_ref and self.model is not None) or not self.isVisible():
            return
        self.model_ref = want
        self.status.setText(f"loading {html.escape(want)} …")
        self.ctx.models.get(want, self.ctx.session.device, self._model_ready)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.slots.submit("checkpoint", f"Masked patches: {checkpoint}", load_checkpoint_model, run_dir, checkpoint,
                          self.ctx.session.device, on_done=self._model_ready, on_error=self._failed)

    def set_model(self, model) -> None:
        """Use this loaded model (tests, checkpoints)."""
        self._model_ready(model)

    def _model_ready(self, model) -> None:
        if not model.can("reconstruct"):
            self.status.setText(f"{html.escape(model.name)} cannot reconstruct masked patches; choose vit-mae.")
            return
        self.model = model
        if self.mask is not None and self.mask.shape != (model.grid, model.grid):
            self.mask = None
        self._pick_image()

    def on_input_changed(self, item) -> None:
        if item is not None and item.kind == "image" and item.record is not None:
            self.image_from_input = item.record
            if self.source.currentIndex() == 0:
                self._pick_image()

    def _pick_image(self) -> None:
        self.digit.setEnabled(self.source.currentIndex() == 1)
        if self.source.currentIndex() == 1:
            self.image = digit_input(self.digit.value())
        else:
            item = self.ctx.session.current
            record = getattr(item, "record", None) if item is not None and item.kind == "image" else None
            self.image = record if record is not None else getattr(self, "image_from_input", None)
            if self.image is None:
                self.image = digit_input(self.digit.value())
        self.refresh()

    def set_image(self, image) -> None:
        self.image_from_input = image
        self.source.setCurrentIndex(0)
        self.image = image
        self.refresh()

    # masks -----------------------------------------------------------------------------------------
    def _on_ratio(self, value: int) -> None:
        self.ratio_label.setText(f"mask {value}%")
        self.new_random_mask(same_seed=True)

    def new_random_mask(self, same_seed: bool = False) -> None:
        if not same_seed:
            self.seed += 1
        self.mask = None
        self.refresh()

    def toggle_patch(self, row: int, col: int) -> None:
        """Hide a visible patch or show a hidden one (at least one of each stays)."""
        if self.mask is None:
            return
        mask = self.mask.copy()
        mask[row, col] = not mask[row, col]
        if mask.all() or not mask.any():
            return
        self.mask = mask
        self.refresh()

    def _clicked(self, event) -> None:
        if self.model is None or self.mask is None:
            return
        for plot in self.plots:
            if plot.sceneBoundingRect().contains(event.scenePos()):
                p = plot.vb.mapSceneToView(event.scenePos())
                size, grid = self.model.image_size, self.model.grid
                if 0 <= p.x() < size and 0 <= p.y() < size:
                    self.toggle_patch(int(p.y() * grid / size), int(p.x() * grid / size))
                return

    def refresh(self) -> None:
        if self.model is None or self.image is None:
            return
        if self.mask is None:
            from engine.probes.reconstruct import random_mask

            self.mask = random_mask(self.model.grid, self.ratio.value() / 100.0, self.seed)
        self.slots.submit("reconstruct", "Reconstruct masked patches", _reconstruct, self.model, self.image,
                          self.mask.copy(), on_done=self.show_record, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.status.setText(f"failed: {html.escape(message)}")

    # drawing -------------------------------------------------------------------------------------
    def show_record(self, record: Reconstruction) -> None:
        if not isinstance(record, Reconstruction):
            raise TypeError(f"the Masked patches view draws a Reconstruction, not {type(record).__name__}")
        self.record = record
        # The decoder's output at the visible patches carries no loss (MAE trains on the hidden ones
        # only), so "prediction" shows the hidden patches' predictions over a flat grey, as MAE's figure does.
        hidden = np.kron(record.mask.astype(np.float32), np.ones((record.patch, record.patch), np.float32))[..., None]
        predicted = record.reconstruction * hidden + 0.5 * (1 - hidden)
        for item, pixels in zip(self.items, (record.original, record.masked, predicted, record.pasted)):
            item.setImage(image_to_rgb(pixels), autoLevels=False, levels=(0, 255))
        size = record.original.shape[0]
        err = np.kron(record.patch_error, np.ones((record.patch, record.patch), np.float32))
        top = max(float(record.patch_error.max()), 1e-6)
        self.items[4].setImage(err, autoLevels=False, levels=(0, top))
        self.items[4].setColorMap(pg.colormap.get("magma"))
        for plot in self.plots:
            plot.setRange(xRange=(0, size), yRange=(0, size), padding=0.02)
        hidden = int(record.mask.sum())
        note = f" · {html.escape(record.note)}" if record.note else ""
        self.status.setText(
            f"<b>{html.escape(record.model)}</b> · {hidden} of {record.mask.size} patches hidden · masked-patch MSE "
            f"<b>{record.mse_masked:.4f}</b> vs {record.baseline_mse_masked:.4f} for the mean of the visible pixels "
            f"(ratio {record.mse_masked / max(record.baseline_mse_masked, 1e-12):.2f}) · click a patch to hide or show it{note}")
        self.apply_waiting_state()

    def export_table(self) -> ExportTable | None:
        r = self.record
        if r is None:
            return None
        rows = [[i, j, int(r.mask[i, j]), float(r.patch_error[i, j])] for i in range(r.grid[0]) for j in range(r.grid[1])]
        return ExportTable(arrays={"original": r.original, "reconstruction": r.reconstruction, "pasted": r.pasted,
                                   "mask": r.mask, "patch_error": r.patch_error},
                           header=["row", "column", "hidden", "error"], rows=rows)

    # view state: ratio (share hidden, 0.05..0.95), seed, source, digit -----------------------------------------------
    def current_state(self) -> dict:
        return {"ratio": self.ratio.value() / 100, "seed": self.seed, "source": ("input", "digit")[self.source.currentIndex()],
                "digit": self.digit.value()}

    def apply_state(self, state: dict) -> dict | None:
        seed = take(state, "seed", int_in(0, 2**31 - 1))
        if seed is not None:
            self.seed = seed
        digit = take(state, "digit", int_in(0, 359))
        if digit is not None:
            self.digit.setValue(digit)
        if state.get("source") in ("input", "digit"):
            self.source.setCurrentIndex(("input", "digit").index(state["source"]))
        ratio = take(state, "ratio", as_ratio)
        if ratio is not None:
            self.ratio.setValue(ratio)
        return None


VIEW = MaskedPatchesView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(MaskedPatchesView))
