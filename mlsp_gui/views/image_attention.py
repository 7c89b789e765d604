"""Attention on the image: a vision transformer's attention overlaid on the picture it looks at.
For the chosen layer, each head's attention from the query (the class token, or a patch you click)
over the patches, their mean, and the attention rollout through all layers (Abnar & Zuidema), each
drawn over the image at the model's input size. Works with the chosen model when it is a vision
model (else the shipped vit-mae's encoder), on the current image input or a held-out digit, and
follows a training run's checkpoints."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from engine.records.vision import ImageAttention
from mlsp_gui.evented import int_in
from mlsp_gui.export import ExportTable
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._vision_model import digit_input, load_checkpoint_model, model_for
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.export_bar import ExportBar
from mlsp_gui.widgets.flow_layout import FlowLayout

COLUMNS = 4


def _probe(state, model, image):
    from engine.probes.image_attention import image_attention

    return image_attention(model, image)


def overlay(pixels: np.ndarray, heat: np.ndarray, alpha: float = 0.6) -> np.ndarray:
    """(S, S, 3) image in 0..1 and a (g, g) map -> (S, S, 3) uint8: the map (magma, scaled to its
    maximum) blended over the greyed image."""
    s = pixels.shape[0]
    up = np.kron(heat, np.ones((s // heat.shape[0], s // heat.shape[1])))
    up = up / max(float(up.max()), 1e-12)
    colours = pg.colormap.get("magma").map(up.ravel(), mode="float")[:, :3].reshape(s, s, 3)
    grey = pixels.mean(axis=2, keepdims=True) * np.ones((1, 1, 3))
    return (np.clip((1 - alpha) * grey + alpha * colours, 0, 1) * 255).round().astype(np.uint8)


class ImageAttentionView(View):
    title = "Attention on the image"
    order = 27
    group = "Vision"
    view_id = "image_attention"
    needs = "attention"
    needs_inputs = ("image",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.slots = JobSlots(ctx.jobs, f"image_attention:{id(self)}")
        self.model = None
        self.model_ref = ""
        self.image = None
        self.record: ImageAttention | None = None
        self.query: tuple[int, int] | None = None          # None: the class token
        self.source = QComboBox()
        self.source.addItems(["current image", "held-out digit"])
        self.digit = QSpinBox()
        self.digit.setRange(0, 359)
        self.layer = QComboBox()
        self.query_label = QLabel("query: [CLS] (click a patch to query it)")
        self.export_bar = ExportBar(lambda: self.plot_widget, self.export_table, ctx.notify, basename="image_attention")
        top_box = QWidget()
        top = FlowLayout(top_box, spacing=6)           # wraps in a narrow window instead of squeezing
        for w in (QLabel("Image:"), self.source, self.digit, QLabel("Layer:"), self.layer, self.query_label):
            top.addWidget(w)
        top.addWidget(self.export_bar)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.setBackground("w")
        self.plots: list = []
        self.items: list = []
        self.status = QLabel("The class token's attention per head over the image; choose a vision model.")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(top_box)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.status)
        self.layer.currentIndexChanged.connect(lambda _i: self.draw())
        self.source.currentIndexChanged.connect(lambda _i: self._pick_image())
        self.digit.valueChanged.connect(lambda _v: self._pick_image())
        self.plot_widget.scene().sigMouseClicked.connect(self._clicked)

    # model, image, checkpoints ------------------------------------------------------------------
    def showEvent(self, event) -> None:          # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.model is None:
            self.on_model_changed(self.ctx.session.model)

    def on_model_changed(self, ref: str) -> None:
        want = model_for(ref, "attention", "vit-mae")
        if (want == self.model_ref and self.model is not None) or not self.isVisible():
            return
        self.model_ref = want
        self.status.setText(f"loading {html.escape(want)} …")
        self.ctx.models.get(want, self.ctx.session.device, self.set_model)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.slots.submit("checkpoint", f"Attention on the image: {checkpoint}", load_checkpoint_model, run_dir,
                          checkpoint, self.ctx.session.device, on_done=self.set_model, on_error=self._failed)

    def set_model(self, model) -> None:
        if not model.can("attention") or not hasattr(model, "input_pixels"):
            self.status.setText(f"{html.escape(model.name)} is not a vision model with attention; choose vit-mae, vit, "
                                "rotnet, simclr or cluster.")
            return
        self.model = model
        self._pick_image()

    def on_input_changed(self, item) -> None:
        if item is not None and item.kind == "image" and item.record is not None and self.source.currentIndex() == 0:
            self._pick_image()

    def set_image(self, image) -> None:
        self.source.setCurrentIndex(0)
        self._given = image
        self.image = image
        self.refresh()

    def _pick_image(self) -> None:
        self.digit.setEnabled(self.source.currentIndex() == 1)
        item = self.ctx.session.current
        current = item.record if item is not None and item.kind == "image" and item.record is not None else None
        if self.source.currentIndex() == 1 or (current is None and getattr(self, "_given", None) is None):
            self.image = digit_input(self.digit.value())
        else:
            self.image = current if current is not None else self._given
        self.refresh()

    def refresh(self) -> None:
        if self.model is None or self.image is None:
            return
        self.slots.submit("attention", "Attention on the image", _probe, self.model, self.image,
                          on_done=self.show_record, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.status.setText(f"failed: {html.escape(message)}")

    # drawing ------------------------------------------------------------------------------------------
    def show_record(self, record: ImageAttention) -> None:
        if not isinstance(record, ImageAttention):
            raise TypeError(f"this view draws an ImageAttention, not {type(record).__name__}")
        layers = record.weights.shape[0]
        keep = self.layer.currentIndex()
        self.record = record
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.addItems([str(i) for i in range(layers)])
        self.layer.setCurrentIndex(keep if 0 <= keep < layers else layers - 1)
        self.layer.blockSignals(False)
        if self.query is not None and not (self.query[0] < record.grid[0] and self.query[1] < record.grid[1]):
            self.query = None
        self._build_panels(record.weights.shape[1] + 3)
        self.draw()
        self.apply_waiting_state()

    def _build_panels(self, n: int) -> None:
        if len(self.plots) == n:
            return
        self.plot_widget.clear()
        self.plots, self.items = [], []
        for i in range(n):
            plot = self.plot_widget.addPlot(row=i // COLUMNS, col=i % COLUMNS)
            plot.setAspectLocked(True)
            plot.invertY(True)
            plot.hideAxis("bottom")
            plot.hideAxis("left")
            plot.setMouseEnabled(False, False)
            item = pg.ImageItem(axisOrder="row-major")
            plot.addItem(item)
            self.plots.append(plot)
            self.items.append(item)

    def maps(self) -> list[tuple[str, np.ndarray | None]]:
        """(title, (g, g) map or None for the plain image) of every panel, as drawn."""
        r = self.record
        layer = max(self.layer.currentIndex(), 0)
        q = 0 if self.query is None else r.query_of(*self.query)
        heads = [(f"head {h}", r.patch_map(r.weights[layer, h, q])) for h in range(r.weights.shape[1])]
        return ([("image", None)] + heads + [("mean of heads", r.patch_map(r.weights[layer, :, q].mean(0))),
                                             ("rollout (all layers)", r.patch_map(r.rollout[q]))])

    def draw(self) -> None:
        r = self.record
        if r is None or not self.plots:
            return
        size = r.pixels.shape[0]
        for plot, item, (title, heat) in zip(self.plots, self.items, self.maps()):
            pixels = (np.clip(r.pixels, 0, 1) * 255).round().astype(np.uint8) if heat is None else overlay(r.pixels, heat)
            if heat is None and self.query is not None:
                pixels = pixels.copy()
                p = size // r.grid[0]
                y, x = self.query[0] * p, self.query[1] * p
                pixels[y:y + p, x:x + p] = (pixels[y:y + p, x:x + p] * 0.3 + np.array([0, 200, 255]) * 0.7).astype(np.uint8)
            item.setImage(pixels, autoLevels=False, levels=(0, 255))
            plot.setTitle(title, size="9pt")
            plot.setRange(xRange=(0, size), yRange=(0, size), padding=0.02)
        who = "[CLS]" if self.query is None else f"patch r{self.query[0]} c{self.query[1]}"
        self.query_label.setText(f"query: {who} (click a patch to query it; click it again for [CLS])")
        note = f" · {html.escape(r.note)}" if r.note else ""
        self.status.setText(f"<b>{html.escape(r.model)}</b> · {r.grid[0]} × {r.grid[1]} patches · layer "
                            f"{self.layer.currentIndex()} · where {who} attends{note}")

    def select_patch(self, row: int, col: int) -> None:
        self.query = None if self.query == (row, col) else (row, col)
        self.draw()

    def _clicked(self, event) -> None:
        r = self.record
        if r is None:
            return
        for plot in self.plots:
            if plot.sceneBoundingRect().contains(event.scenePos()):
                p = plot.vb.mapSceneToView(event.scenePos())
                size = r.pixels.shape[0]
                if 0 <= p.x() < size and 0 <= p.y() < size:
                    self.select_patch(int(p.y() * r.grid[0] / size), int(p.x() * r.grid[1] / size))
                return

    def export_table(self) -> ExportTable | None:
        if self.record is None:
            return None
        maps = [(t, m) for t, m in self.maps() if m is not None]
        rows = [[t, i, j, float(m[i, j])] for t, m in maps for i in range(m.shape[0]) for j in range(m.shape[1])]
        return ExportTable(arrays={"weights": self.record.weights, "rollout": self.record.rollout,
                                   "grid": np.asarray(self.record.grid)},
                           header=["panel", "row", "column", "weight"], rows=rows)

    # view state: layer, query ([row, col] or null), source, digit ----------------------------------------
    def current_state(self) -> dict:
        return {"layer": max(self.layer.currentIndex(), 0), "query": list(self.query) if self.query else None,
                "source": ("input", "digit")[self.source.currentIndex()], "digit": self.digit.value()}

    def apply_state(self, state: dict) -> dict | None:
        digit = take(state, "digit", int_in(0, 359))
        if digit is not None:
            self.digit.setValue(digit)
        if state.get("source") in ("input", "digit"):
            self.source.setCurrentIndex(("input", "digit").index(state["source"]))
        waiting = {}
        q = state.get("query", "absent")
        if q is None:
            self.query = None
        elif isinstance(q, list) and len(q) == 2 and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in q):
            if self.record is None:
                waiting["query"] = q
            elif q[0] < self.record.grid[0] and q[1] < self.record.grid[1]:
                self.query = (q[0], q[1])
        layer = take(state, "layer", int_in(0, 1000))
        if layer is not None:
            if self.record is None:
                waiting["layer"] = layer
            elif layer < self.layer.count():
                self.layer.setCurrentIndex(layer)
        self.draw()
        return waiting or None


VIEW = ImageAttentionView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(ImageAttentionView))
