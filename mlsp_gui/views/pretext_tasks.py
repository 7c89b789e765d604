"""Pretext tasks: what each self-supervised task asks of the ViT, on held-out digits.
Rotation — each image turned four ways, RotNet's probabilities for each turn. SimCLR — a batch of
augmented views (each image twice) and the cosine-similarity matrix of their projections, the
positive pairs marked. Clusters — k-means on a model's class-token features (DeepCluster's
pseudo-labels), each cluster as a strip of its images with its purity against the true digits.
Models: rotnet, simclr and cluster (the shipped ones, or the chosen model when it is one)."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from engine.records.vision import ClusterGrid, ContrastiveBatch, RotationPredictions
from mlsp_gui.evented import int_in
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._vision_model import image_to_rgb
from mlsp_gui.views.base import View, run_standalone, take

TABS = ("rotation", "simclr", "clusters")
FAMILY = {"rotation": "rotnet", "simclr": "simclr", "clusters": "cluster"}


def _compute(state, tab: str, model, seed: int):
    from engine.probes import pretext

    if tab == "rotation":
        return pretext.rotation_predictions(model, seed=seed)
    if tab == "simclr":
        return pretext.contrastive_batch(model, seed=seed)
    return pretext.cluster_grid(model, seed=seed)


def _image_plot(layout, row: int, col: int, pixels: np.ndarray, title: str = "", **kw):
    plot = layout.addPlot(row=row, col=col, **kw)
    plot.setAspectLocked(True)
    plot.invertY(True)
    plot.hideAxis("bottom")
    plot.hideAxis("left")
    plot.setMouseEnabled(False, False)
    if title:
        plot.setTitle(title, size="8pt")
    item = pg.ImageItem(image_to_rgb(pixels), axisOrder="row-major")
    plot.addItem(item)
    return plot


class PretextTasksView(View):
    title = "Pretext tasks"
    order = 28
    group = "Vision"
    view_id = "pretext_tasks"
    needs = None
    needs_inputs = ("image",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.slots = JobSlots(ctx.jobs, f"pretext_tasks:{id(self)}")
        self.seed = 0
        self.records: dict[str, object] = {}
        self.models: dict[str, object] = {}
        self.tabs = QTabWidget()
        self.widgets = {}
        for name, label in zip(TABS, ("Rotation (RotNet)", "Contrastive (SimCLR)", "Clusters (DeepCluster)")):
            w = pg.GraphicsLayoutWidget()
            w.setBackground("w")
            self.widgets[name] = w
            self.tabs.addTab(w, label)
        self.again = QPushButton("Other images")
        top = QHBoxLayout()
        top.addWidget(self.again)
        top.addStretch(1)
        self.status = QLabel("Held-out digits through the pretext models.")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        ctx.models.failed.connect(self._on_model_failed)
        self.again.clicked.connect(self.other_images)

    def tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def showEvent(self, event) -> None:          # noqa: N802 (Qt API)
        super().showEvent(event)
        self.refresh()

    def other_images(self) -> None:
        self.seed += 1
        self.records.clear()
        self.refresh()

    def set_model(self, tab: str, model) -> None:
        """Use this loaded model for a tab (tests, checkpoints)."""
        self.models[tab] = model
        self.records.pop(tab, None)
        if tab == self.tab():
            self.refresh()

    def on_model_changed(self, ref: str) -> None:
        """A rotnet / simclr / cluster model (or run) chosen in the Model dock takes its tab."""
        try:
            from engine.zoo import resolve

            family = resolve(ref).spec.id if ref else ""
        except Exception:                       # noqa: BLE001 - not a model reference: nothing to take
            return
        for tab, fam in FAMILY.items():
            if fam == family and ref != fam:
                self.ctx.models.get(ref, self.ctx.session.device, lambda m, t=tab: self.set_model(t, m))

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        from mlsp_gui.views._vision_model import load_checkpoint_model

        def loaded(model):
            for tab, family in FAMILY.items():
                if getattr(model, "family", "") == family:
                    self.set_model(tab, model)

        self.slots.submit("checkpoint", f"Pretext tasks: {checkpoint}", load_checkpoint_model, run_dir, checkpoint,
                          self.ctx.session.device, on_done=loaded, on_error=self._failed)

    def refresh(self) -> None:
        tab = self.tab()
        if tab in self.records:
            self.show_record(self.records[tab])
            return
        model = self.models.get(tab)
        if model is None:
            if not self.isVisible():
                return
            family = FAMILY[tab]
            self.status.setText(f"loading {family} …")
            self.ctx.models.get(family, self.ctx.session.device, lambda m, t=tab: self.set_model(t, m))
            return
        self.status.setText("computing …")
        self.slots.submit(tab, f"Pretext tasks: {tab}", _compute, tab, model, self.seed,
                          on_done=self.show_record, on_error=self._failed)

    def _on_model_failed(self, ref: str, message: str) -> None:
        if ref == FAMILY[self.tab()]:
            self.status.setText(f"{html.escape(message)} (e.g. <code>mlsp train {ref} --out runs/{ref}</code>, then "
                                "choose the run folder as the model)")

    def _failed(self, message: str) -> None:
        self.status.setText(f"failed: {html.escape(message)}")

    def show_record(self, record) -> None:
        if isinstance(record, RotationPredictions):
            tab = "rotation"
            self._draw_rotation(record)
            text = (f"<b>{html.escape(record.model)}</b> · rotation accuracy on these images "
                    f"{100 * record.accuracy:.0f}% (chance 25%) · each row: the digits turned by that angle · each title: the "
                    f"predicted turn (p)")
        elif isinstance(record, ContrastiveBatch):
            tab = "simclr"
            self._draw_simclr(record)
            text = (f"<b>{html.escape(record.model)}</b> · top: view A of each image, below: view B · cosine similarity "
                    f"of the projections (positive pairs marked ○) · each view's nearest other view is its partner "
                    f"for {100 * record.partner_accuracy:.0f}% (τ = {record.temperature:g})")
        elif isinstance(record, ClusterGrid):
            tab = "clusters"
            self._draw_clusters(record)
            text = (f"<b>{html.escape(record.model)}</b> · k-means (k = {len(record.sizes)}) on the class-token features "
                    f"of the 360 held-out digits · purity {100 * record.overall_purity:.1f}% (chance ≈ 10%)")
        else:
            raise TypeError(f"the Pretext tasks view cannot draw {type(record).__name__}")
        self.records[tab] = record
        if self.tab() == tab:
            self.status.setText(text)

    def _draw_rotation(self, r: RotationPredictions) -> None:
        w = self.widgets["rotation"]
        w.clear()
        # one row per turn, one column per image: short titles, so the grid fits at 1280 × 720
        for k in range(4):
            w.addLabel(f"turned {r.turns[k]}", row=k, col=0, angle=-90, size="8pt")
            for i in range(r.images.shape[0]):
                best = int(r.probs[i, k].argmax())
                mark = "✓" if best == k else "✗"
                _image_plot(w, k, i + 1, r.images[i, k], f"→ {r.turns[best]} {r.probs[i, k, best]:.2f} {mark}")

    def _draw_simclr(self, r: ContrastiveBatch) -> None:
        w = self.widgets["simclr"]
        w.clear()
        n = r.views.shape[0] // 2
        views = w.addLayout(row=0, col=0)
        for i in range(2 * n):
            _image_plot(views, i // n, i % n, r.views[i], f"{'AB'[i // n]}{i % n}")
        plot = w.addPlot(row=0, col=1, title="similarity of the 2N views")
        plot.invertY(True)
        plot.setAspectLocked(True)
        item = pg.ImageItem(r.similarity.astype(np.float32), axisOrder="row-major", levels=(-1, 1))
        item.setColorMap(pg.colormap.get("viridis"))
        plot.addItem(item)
        xs = r.positive + 0.5
        plot.addItem(pg.ScatterPlotItem(x=xs, y=np.arange(2 * n) + 0.5, symbol="o", size=10, brush=None,
                                        pen=pg.mkPen("r", width=2)))
        w.ci.layout.setColumnStretchFactor(0, 2)
        w.ci.layout.setColumnStretchFactor(1, 1)

    def _draw_clusters(self, r: ClusterGrid) -> None:
        w = self.widgets["clusters"]
        w.clear()
        s = r.images.shape[1]
        for c, idx in enumerate(r.members):
            strip = np.ones((s, max(len(idx), 1) * (s + 2), 3), np.float32)
            for j, m in enumerate(idx):
                strip[:, j * (s + 2):j * (s + 2) + s] = r.images[m]
            title = f"cluster {c} · {r.sizes[c]} images · purity {100 * r.purity[c]:.0f}% (mostly {r.majority[c]})"
            _image_plot(w, c // 2, c % 2, strip, title)

    # view state: tab, seed ---------------------------------------------------------------------------------
    def current_state(self) -> dict:
        return {"tab": self.tab(), "seed": self.seed}

    def apply_state(self, state: dict) -> dict | None:
        seed = take(state, "seed", int_in(0, 2**31 - 1))
        if seed is not None and seed != self.seed:
            self.seed = seed
            self.records.clear()
        if state.get("tab") in TABS:
            self.tabs.setCurrentIndex(TABS.index(state["tab"]))
        return None


VIEW = PretextTasksView

if __name__ == "__main__":
    import sys

    sys.exit(run_standalone(PretextTasksView))
