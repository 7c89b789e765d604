"""A small plot of attention entropy over a training run's checkpoints: one line per layer (the mean
head entropy of that layer, in nats) against the step, a dashed vertical line at the checkpoint shown,
and the training loss at each step in the title and the tooltips. Points are CheckpointHeads records
(engine.records.attention_over_checkpoints); adding one for a step already plotted replaces it."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from engine.records.attention_over_checkpoints import CheckpointHeads
from mlsp_gui.widgets.palettes import OKABE_ITO

TITLE = "Entropy over checkpoints"


class EntropyOverCheckpoints(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: dict[int, CheckpointHeads] = {}
        self.marker_step: int | None = None
        self.max_entropy: float | None = None
        self.title = QLabel(TITLE)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)   # one line, clipped
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(90)
        self.plot.setLabel("bottom", "step")
        self.setMaximumHeight(230)                   # beside a roomy rollout, a small plot
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.marker = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#555555", width=1, style=Qt.PenStyle.DashLine))
        self.marker.setVisible(False)
        self.plot.addItem(self.marker)
        self.curves: list[pg.PlotDataItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

    def clear(self) -> None:
        self.points.clear()
        self.marker_step = None
        self._redraw()

    def add(self, point: CheckpointHeads, replace: bool = True) -> None:
        """Plot one checkpoint (a point already there for its step is kept unless `replace`)."""
        if replace or point.step not in self.points:
            self.points[point.step] = point
            self._redraw()

    def set_marker(self, step: int | None) -> None:
        """The checkpoint shown in the rest of the view (None: no marker)."""
        self.marker_step = step
        self.marker.setVisible(step is not None)
        if step is not None:
            self.marker.setValue(step)
        self._retitle()

    def steps(self) -> list[int]:
        return sorted(self.points)

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps (N,), entropy (layers, N)) as plotted."""
        steps = self.steps()
        layers = min((len(self.points[s].entropy_per_layer) for s in steps), default=0)
        ys = np.array([[self.points[s].entropy_per_layer[layer] for s in steps] for layer in range(layers)], float)
        return np.array(steps, float), ys.reshape(layers, len(steps))

    def _redraw(self) -> None:
        xs, ys = self.series()
        while len(self.curves) > len(ys):
            self.plot.removeItem(self.curves.pop())
        while len(self.curves) < len(ys):
            color = OKABE_ITO[len(self.curves) % len(OKABE_ITO)]
            self.curves.append(self.plot.plot([], [], pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5,
                                              symbolBrush=color, symbolPen=None))
        for curve, y in zip(self.curves, ys):
            curve.setData(xs, y)
        self._retitle()

    def _retitle(self) -> None:
        steps = self.steps()
        if not steps:
            self.title.setText(f"{TITLE}: waiting for the run's checkpoints…")
            self.plot.setLabel("bottom", "step")
            self.setToolTip("")
            return
        shown = self.points.get(self.marker_step if self.marker_step is not None else steps[-1])
        key = " ".join(f"<span style='color:{OKABE_ITO[i % len(OKABE_ITO)]}'>━&nbsp;L{i}</span>"
                       for i in range(len(self.curves)))
        self.title.setText(f"{TITLE} {key}")
        where = "step"
        if shown is not None:                     # the axis label says which checkpoint is shown, and its loss
            where += f" ({shown.step}" + ("" if shown.loss is None else f": loss {shown.loss:.2f}") + ")"
        self.plot.setLabel("bottom", where)
        lines = [f"Mean head entropy of each layer (nats) at {len(steps)} checkpoint(s); the dashed line is the "
                 "checkpoint shown above."]
        if shown is not None:
            lines.append(f"Heads at step {shown.step}: {_names(shown)}.")
        lines += [f"step {s}: " + ", ".join(f"L{i} {v:.3f}" for i, v in enumerate(self.points[s].entropy_per_layer))
                  + ("" if self.points[s].loss is None else f"; loss {self.points[s].loss:.3f}") for s in steps]
        self.setToolTip("\n".join(lines))

def _names(point: CheckpointHeads) -> str:
    parts = [f"{role}: " + ", ".join(f"L{l}·h{h}" for l, h in heads) for role, heads in point.notable.items() if heads]
    return "; ".join(parts) or "none stands out"
