"""Loss and metric curves (pyqtgraph), appended point by point with throttled redraws.

Appending is cheap (a numpy buffer write); the plots are redrawn at most `MAX_HZ` times a
second, so a trainer that logs thousands of steps a second never stalls the window. Several
runs can be shown at once (the live run plus the runs picked to overlay), one colour per run.
"""
from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mlsp_gui.widgets.compact_axis import CompactAxis

MAX_HZ = 5                      # redraws per second at most (the brief's ceiling is 10)
# Okabe–Ito: colour-blind-safe; its yellow is left out (too pale on the white plots).
RUN_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


class _Buffer:
    """A growing (step, value) buffer; `view()` returns the filled part without copying."""

    def __init__(self) -> None:
        self._data = np.empty((2, 256), dtype=np.float64)
        self.n = 0

    def append(self, step: float, value: float) -> None:
        if self.n == self._data.shape[1]:
            grown = np.empty((2, self.n * 2), dtype=np.float64)
            grown[:, : self.n] = self._data
            self._data = grown
        self._data[0, self.n] = step
        self._data[1, self.n] = value
        self.n += 1

    def set(self, steps, values) -> None:
        steps = np.asarray(steps, dtype=np.float64).ravel()
        values = np.asarray(values, dtype=np.float64).ravel()
        self._data = np.vstack([steps, values]) if len(steps) else np.empty((2, 256))
        self.n = len(steps)

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        return self._data[0, : self.n], self._data[1, : self.n]


class _Series:
    def __init__(self, run: str, name: str, colour: str, dashed: bool) -> None:
        self.run, self.name = run, name
        self.buf = _Buffer()
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        self.item = pg.PlotDataItem(pen=pg.mkPen(colour, width=2, style=style), name=f"{run} · {name}")
        self.item.setDownsampling(auto=True, method="peak")
        self.item.setClipToView(True)
        self.dirty = False


def is_loss(name: str) -> bool:
    return "loss" in name.lower()


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k that is >= value (value > 0)."""
    exp = np.floor(np.log10(value))
    for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10 ** exp >= value:
            return float(m * 10 ** exp)
    return float(10 ** (exp + 1))


def fitted_range(lo: float, hi: float, current: tuple[float, float], slack: float = 3.0,
                 pad_frac: float = 0.15) -> tuple[float, float] | None:
    """A new (lo, hi) view range when the data [lo, hi] left `current` or fills too little of it;
    None when the current range still fits. Changing the range rarely is what keeps redraws cheap:
    a new range re-renders every axis (pyqtgraph's costliest paint)."""
    span = hi - lo
    c0, c1 = current
    if lo >= c0 and hi <= c1 and (c1 - c0) <= slack * max(span, 1e-12) + 1e-12:
        return None
    pad = pad_frac * span if span > 0 else max(abs(hi) * 0.1, 1e-6)
    return lo - pad, hi + pad


class CurvesWidget(QWidget):
    """A loss plot plus one chosen metric (learning rate, accuracy, ...), for one or more runs."""

    redrawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: dict[tuple[str, str], _Series] = {}
        self._run_colour: dict[str, str] = {}
        self._last_redraw = 0.0
        self.redraw_count = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._redraw)
        self._build()

    def _build(self) -> None:
        bar = QHBoxLayout()
        self.log_box = QCheckBox("Log scale")
        self.log_box.toggled.connect(self.set_log_y)
        self.metric_box = QComboBox()
        self.metric_box.setMinimumContentsLength(14)
        self.metric_box.currentTextChanged.connect(self._show_metric)
        self.metric_picked = False                 # until the user picks, the first eval metric is shown
        self.metric_box.activated.connect(lambda _i: setattr(self, "metric_picked", True))
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Fit the plots to the data and follow new points again")
        self.fit_button.clicked.connect(self.fit)
        self.metric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_box.currentTextChanged.connect(self.metric_box.setToolTip)
        bar.addWidget(self.log_box)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        metric_row = QHBoxLayout()                  # a row of its own: metric names stay whole in a narrow panel
        metric_row.addWidget(QLabel("Second plot:"))
        metric_row.addWidget(self.metric_box, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")                # as every other plot in the window
        self.loss_plot = self.graphics.addPlot(row=0, col=0, axisItems={"left": CompactAxis("left")})
        self.metric_plot = self.graphics.addPlot(row=1, col=0, axisItems={"left": CompactAxis("left")})
        self.loss_plot.setTitle("Loss", color="#202020")
        self.metric_plot.setTitle("Metric", color="#202020")
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.following = True                      # ranges follow the data until the user pans/zooms
        for plot in (self.loss_plot, self.metric_plot):
            plot.disableAutoRange()
            plot.hideButtons()
            plot.vb.sigRangeChangedManually.connect(self._manual_range)
            plot.showGrid(x=False, y=False)
            plot.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210), pen=pg.mkPen("#c0c0c0"),
                           labelTextColor="#202020")
            for side in ("left", "bottom"):
                plot.getAxis(side).setPen(pg.mkPen("#404040"))
                plot.getAxis(side).setTextPen(pg.mkPen("#202020"))
            plot.getAxis("left").setWidth(56)          # the two plots' x axes line up
        self.metric_plot.setLabel("bottom", "step", color="#303030")
        self.metric_plot.setXLink(self.loss_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(metric_row)
        layout.addWidget(self.graphics, 1)
        self._update_legends()                     # no curves yet: no empty legend boxes

    # data ------------------------------------------------------------------
    def colour_of(self, run: str) -> str:
        if run not in self._run_colour:
            self._run_colour[run] = RUN_COLOURS[len(self._run_colour) % len(RUN_COLOURS)]
        return self._run_colour[run]

    def _get(self, run: str, name: str) -> _Series:
        key = (run, name)
        s = self._series.get(key)
        if s is None:
            dashed = name.startswith("eval") or name.startswith("val")
            s = self._series[key] = _Series(run, name, self.colour_of(run), dashed)
            if is_loss(name):
                self.loss_plot.addItem(s.item)
            else:                                  # every metric lives in the second plot; one is shown
                self.metric_plot.addItem(s.item)
                if self.metric_box.findText(name) < 0:
                    self.metric_box.addItem(name)
                if dashed and not self.metric_picked and not self.metric_box.currentText().startswith(("eval", "val")):
                    self.metric_box.setCurrentText(name)      # what the run is for beats the learning rate
            self._show_metric(self.metric_box.currentText())
        return s

    def append(self, run: str, name: str, step: float, value: float) -> None:
        """Add one point; the redraw happens later, at most MAX_HZ times a second."""
        if value is None or not np.isfinite(value):
            return
        s = self._get(run, name)
        s.buf.append(float(step), float(value))
        s.dirty = True
        self._schedule()

    def set_series(self, run: str, name: str, steps, values) -> None:
        """Replace a whole series (a past run read from its metrics file)."""
        s = self._get(run, name)
        s.buf.set(steps, values)
        s.dirty = True
        self._schedule()

    def truncate(self, run: str, last_step: float) -> None:
        """Drop a run's points after `last_step` (a resumed run continues from its checkpoint)."""
        for (r, _name), s in self._series.items():
            if r == run:
                x, y = s.buf.view()
                keep = x <= last_step
                if not keep.all():
                    s.buf.set(x[keep].copy(), y[keep].copy())
                    s.dirty = True
        self._schedule()

    def remove_run(self, run: str) -> None:
        for key in [k for k in self._series if k[0] == run]:
            s = self._series.pop(key)
            s.item.setClipToView(False)           # pyqtgraph's clipping needs a view it no longer has
            for plot in (self.loss_plot, self.metric_plot):
                if s.item in plot.items:
                    plot.removeItem(s.item)
        self._run_colour.pop(run, None)
        self._refresh_metric_names()
        self._update_legends()

    def runs(self) -> list[str]:
        return sorted({k[0] for k in self._series})

    def points(self, run: str, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points stored for one series (drawn or about to be)."""
        s = self._series.get((run, name))
        if s is None:
            return np.empty(0), np.empty(0)
        return tuple(a.copy() for a in s.buf.view())

    def drawn(self, run: str, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points the plot item currently holds (what is on screen)."""
        s = self._series.get((run, name))
        if s is None or s.item.xData is None:
            return np.empty(0), np.empty(0)
        return s.item.xData.copy(), s.item.yData.copy()

    def series_names(self, run: str) -> list[str]:
        return sorted(k[1] for k in self._series if k[0] == run)

    # drawing ---------------------------------------------------------------
    def set_log_y(self, on: bool) -> None:
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)
            return
        self.loss_plot.setLogMode(y=on)
        self.metric_plot.setLogMode(y=on)
        self.fit()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            wait = 1000.0 / MAX_HZ - (time.monotonic() - self._last_redraw) * 1000.0
            self._timer.start(max(0, int(wait)))

    def _redraw(self) -> None:
        self._last_redraw = time.monotonic()
        for s in self._series.values():
            if s.dirty:
                x, y = s.buf.view()
                s.item.setData(x, y)
                s.dirty = False
        self._update_legends()
        if self.following:
            self._follow()
        self.redraw_count += 1
        self.redrawn.emit()

    def _update_legends(self) -> None:
        """A legend only where it tells something: several runs, or train and eval loss together."""
        several = len(self.runs()) > 1
        evals = any(is_loss(k[1]) and k[1] != "loss" for k in self._series)
        self.loss_plot.legend.setVisible(several or evals)
        self.metric_plot.legend.setVisible(several)

    def fit(self) -> None:
        """Fit both plots to their data now and follow new points from here on."""
        self.following = True
        self._follow(force=True)

    def _manual_range(self, *_args) -> None:
        self.following = False

    def _bounds(self, plot) -> tuple[float, float, float, float] | None:
        """(xmin, xmax, ymin, ymax) of the series shown in `plot`, y in log10 when log scale is on."""
        xs, ys = [], []
        log = self.log_box.isChecked()
        for s in self._series.values():
            if s.item in plot.items and s.item.isVisible() and s.buf.n:
                x, y = s.buf.view()
                if log:
                    keep = y > 0
                    x, y = x[keep], np.log10(y[keep])
                if x.size:
                    xs += [x.min(), x.max()]
                    ys += [y.min(), y.max()]
        return (min(xs), max(xs), min(ys), max(ys)) if xs else None

    def _follow(self, force: bool = False) -> None:
        for plot in (self.loss_plot, self.metric_plot):
            b = self._bounds(plot)
            if b is None:
                continue
            _xr, (y0, y1) = plot.vb.viewRange()
            ny = (fitted_range(b[2], b[3], (np.inf, -np.inf), pad_frac=0.05) if force
                  else fitted_range(b[2], b[3], (y0, y1)))
            if ny is not None:
                plot.setYRange(*ny, padding=0.0)
        bx = [b for b in (self._bounds(self.loss_plot), self._bounds(self.metric_plot)) if b is not None]
        if bx:
            lo, hi = min(b[0] for b in bx), max(b[1] for b in bx)
            (x0, x1), _ = self.loss_plot.vb.viewRange()
            if force or hi > x1 or lo < x0 or x0 != lo:
                self.loss_plot.setXRange(lo, lo + nice_ceil(max(hi - lo, 1.0) * 1.15), padding=0.0)

    def _show_metric(self, name: str) -> None:
        legend = self.metric_plot.legend
        for s in self._series.values():
            if is_loss(s.name):
                continue
            show = s.name == name
            if show != s.item.isVisible():
                s.item.setVisible(show)
                if show:
                    legend.addItem(s.item, s.item.name())
                else:
                    legend.removeItem(s.item)
        self.metric_plot.setTitle(name or "Metric", color="#202020")
        if self.following:
            self._follow(force=True)

    def shown(self, plot) -> list[str]:
        """Names of the curves visible in `plot` (loss_plot or metric_plot)."""
        return [i.name() for i in plot.listDataItems() if i.isVisible()]

    def _refresh_metric_names(self) -> None:
        names = sorted({s.name for s in self._series.values() if not is_loss(s.name)})
        current = self.metric_box.currentText()
        self.metric_box.blockSignals(True)
        self.metric_box.clear()
        self.metric_box.addItems(names)
        if current in names:
            self.metric_box.setCurrentText(current)
        self.metric_box.blockSignals(False)
        self._show_metric(self.metric_box.currentText())
