"""The projector's projection row: method, 2-D / 3-D, the method's parameters, run, cancel,
progress. It edits a `ProjectionParams` and says when the user asks for a run; bound to the
projector's state (`bind`), its method, dims and parameters live there and follow it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.records.projection import ProjectionParams

METHOD_TITLES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}


def _spin(lo: int, hi: int, value: int, prefix: str, tip: str, step: int = 1) -> QSpinBox:
    s = QSpinBox()
    s.setRange(lo, hi)
    s.setValue(value)
    s.setSingleStep(step)
    s.setPrefix(prefix)
    s.setToolTip(tip)
    return s


class ProjectionControls(QWidget):
    run_requested = Signal()
    cancel_requested = Signal()
    dims_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox()
        for key, title in METHOD_TITLES.items():
            self.method.addItem(title, key)
        self.method.setToolTip("PCA is instant; t-SNE and UMAP run in the background with progress and cancel")
        self.dims = QComboBox()
        self.dims.addItem("2-D", 2)
        self.dims.addItem("3-D", 3)
        self.perplexity = QDoubleSpinBox()
        self.perplexity.setRange(1.0, 500.0)
        self.perplexity.setValue(30.0)
        self.perplexity.setPrefix("perplexity ")
        self.perplexity.setToolTip("t-SNE: roughly how many neighbours each point keeps close (5–50)")
        self.iterations = _spin(251, 100_000, 1000, "iterations ", "t-SNE gradient steps (250 of them exaggerated)", 250)
        self.neighbors = _spin(2, 500, 15, "neighbours ", "UMAP n_neighbors: local (small) vs global (large) structure")
        self.min_dist = QDoubleSpinBox()
        self.min_dist.setRange(0.0, 1.0)
        self.min_dist.setSingleStep(0.05)
        self.min_dist.setValue(0.1)
        self.min_dist.setPrefix("min_dist ")
        self.min_dist.setToolTip("UMAP: how tightly points may pack together")
        self.epochs = _spin(0, 10_000, 0, "epochs ", "UMAP epochs (0 = umap-learn's default)", 50)
        self.metric = QComboBox()
        self.metric.addItems(["euclidean", "cosine"])
        self.metric.setToolTip("Distance in the original space for t-SNE and UMAP")
        self.run_button = QPushButton("Project ▶")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Two rows: the choices (never squeezed below their text: "perplexity 30" must stay
        # readable in a narrow centre), then progress and the status line at full width.
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        # The method's own parameters go on the second row, so UMAP's three boxes are never clipped.
        row = QHBoxLayout()
        for w in (self.method, self.dims, self.metric, self.run_button, self.cancel_button):
            w.setMinimumWidth(w.sizeHint().width())
            row.addWidget(w)
        row.addStretch(1)
        status_row = QHBoxLayout()
        for w in (self.perplexity, self.iterations, self.neighbors, self.min_dist, self.epochs):
            w.setMinimumWidth(w.sizeHint().width())
            status_row.addWidget(w)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.status, 1)
        rows.addLayout(row)
        rows.addLayout(status_row)
        self.method.currentIndexChanged.connect(self._show_params)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.dims.currentIndexChanged.connect(lambda _i: self.dims_changed.emit(self.dims.currentData()))
        self._show_params()

    def _show_params(self) -> None:
        m = self.method.currentData()
        for w in (self.perplexity, self.iterations):
            w.setVisible(m == "tsne")
        for w in (self.neighbors, self.min_dist, self.epochs):
            w.setVisible(m == "umap")
        self.metric.setVisible(m != "pca")

    def params(self) -> ProjectionParams:
        return ProjectionParams(method=self.method.currentData(), dims=int(self.dims.currentData()),
                                perplexity=self.perplexity.value(), iterations=self.iterations.value(),
                                neighbors=self.neighbors.value(), min_dist=self.min_dist.value(),
                                epochs=self.epochs.value(), metric=self.metric.currentText())

    # the projector's state ------------------------------------------------------------------------
    def bind(self, state) -> None:
        """Write method, dims and parameters to `state` (a ProjectorState) and follow it."""
        self.state = state
        self.method.currentIndexChanged.connect(lambda _i: state.set_method(self.method.currentData()))
        self.dims.currentIndexChanged.connect(lambda _i: state.set_dims(int(self.dims.currentData())))
        for w in (self.perplexity, self.iterations, self.neighbors, self.min_dist, self.epochs):
            w.valueChanged.connect(lambda _v: state.set_params(self.param_values()))
        self.metric.currentTextChanged.connect(lambda _t: state.set_params(self.param_values()))
        state.method_changed.connect(self.set_method)
        state.dims_changed.connect(self.set_dims)
        state.params_changed.connect(self.set_param_values)
        state.update(method=self.method.currentData(), dims=int(self.dims.currentData()), params=self.param_values())

    def param_values(self) -> dict:
        """The method parameters as a JSON-able dict (ProjectorState.params)."""
        p = self.params()
        return {"perplexity": p.perplexity, "iterations": p.iterations, "neighbors": p.neighbors,
                "min_dist": p.min_dist, "epochs": p.epochs, "metric": p.metric}

    def set_param_values(self, values: dict) -> None:
        """Show the parameters in `values` (the others keep theirs)."""
        for name in ("perplexity", "iterations", "neighbors", "min_dist", "epochs"):
            if name in values and getattr(self, name).value() != values[name]:
                getattr(self, name).setValue(values[name])
        if "metric" in values and self.metric.currentText() != values["metric"]:
            self.metric.setCurrentText(values["metric"])

    def set_method(self, method: str) -> None:
        self.method.setCurrentIndex(max(0, self.method.findData(method)))

    def set_dims(self, dims: int) -> None:
        self.dims.setCurrentIndex(max(0, self.dims.findData(dims)))

    def set_running(self, running: bool, message: str = "") -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if not running:
            self.progress.setValue(0)
        self.status.setText(message)

    def set_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(1000 * min(max(fraction, 0.0), 1.0)))
        self.status.setText(message)
