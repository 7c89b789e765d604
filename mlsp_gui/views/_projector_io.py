"""The projector's source row (where vectors come from, import and export) and its job functions.

Job functions are plain module-level functions `fn(state, ...)`: they run on a worker thread
and call the engine; nothing here touches a widget from a worker."""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from engine.errors import MlspError
from engine.records.projection import Projection
from mlsp_gui.errors import error_html
from mlsp_gui.widgets.projection_controls import METHOD_TITLES

EMPTY_HINT = ("Nothing projected yet.<br><br>Press <b>Load</b> to project the source above (the word2vec "
              "vocabulary, the lines of the current text input as sentences, or its tokens at one layer), or "
              "<b>Import TSV…</b> to open TensorBoard-projector files.")

TSV_SOURCE = "tsv"
EXPORTS = {  # what: (menu text, default file name, filter)
    "projector": ("Vectors + metadata (TensorBoard TSV)…", "vectors.tsv", "TSV (*.tsv)"),
    "coords": ("Projected coordinates (TSV)…", "coords.tsv", "TSV (*.tsv)"),
    "selection": ("Selected rows (TSV)…", "selection.tsv", "TSV (*.tsv)"),
    "png": ("Picture (PNG)…", "projector.png", "PNG image (*.png)"),
}


# jobs -------------------------------------------------------------------------------------------
def project_job(state, vectors, params, init):
    from engine.projection.project import project

    return project(vectors, params, state, init=init)


def knn_job(state, vectors, index, k, metric, norms):
    from engine.projection.knn import nearest, row_norms

    norms = row_norms(vectors) if norms is None else norms
    return nearest(vectors, index, k, metric, norms=norms), norms


def search_job(state, labels, query, regex):
    from engine.projection.select import match_labels

    return np.flatnonzero(match_labels(labels, query, regex))


class _FlagBox(QCheckBox):
    """A check box read like the option spin boxes: value() is 0 or 1."""

    def value(self) -> int:
        return int(self.isChecked())

    def setValue(self, value: int) -> None:                  # noqa: N802 (reads like QSpinBox)
        self.setChecked(bool(value))


def fetch_job(state, source_id, model, ref, device, checkpoint, request):
    """Vectors from a registered source; with `checkpoint`, from that checkpoint of run `ref`:
    a checkpoint folder goes to the model's own loader, a weights file into a copy of the model."""
    from engine.projection.sources import get_source

    spec = get_source(source_id)
    if checkpoint:
        from engine.contract.spec import ModelRef
        from engine.zoo import load_model, resolve

        state.progress(0.1, f"loading {Path(checkpoint).name}")
        if Path(checkpoint).is_dir():
            model = load_model(ModelRef(spec=resolve(ref).spec, path=Path(checkpoint), text=ref), device)
        else:
            from engine.checkpoints_io import apply_checkpoint

            model = apply_checkpoint(model if model is not None else load_model(ref, device), checkpoint)
    return spec.run(state, model, request)


def read_tsv_job(state, vectors_path, metadata_path):
    from engine.data.projector_tsv import read_projector

    return read_projector(vectors_path, metadata_path, state)


def write_projector_job(state, emb, vectors_path, metadata_path):
    from engine.data.projector_tsv import write_projector

    write_projector(emb, vectors_path, metadata_path, state)
    return vectors_path


# helpers ----------------------------------------------------------------------------------------
def describe(proj: Projection) -> str:
    text = f"{METHOD_TITLES.get(proj.method, proj.method)} · {proj.dims}-D · {proj.seconds:.2f} s"
    if proj.explained_variance is not None:
        text += " · variance " + ", ".join(f"{v:.1%}" for v in proj.explained_variance)
    if proj.kl_divergence is not None:
        text += f" · KL {proj.kl_divergence:.3f}"
    if proj.note:
        text += f" · {proj.note}"
    return text


def selection_table(view, rows: np.ndarray) -> dict[str, list]:
    """index, label, every metadata column, then the projected coordinates of `rows`."""
    emb = view.emb
    table: dict[str, list] = {"index": [int(i) for i in rows], "label": [emb.labels[i] for i in rows]}
    for name, values in emb.metadata.items():
        if name not in table:
            table[name] = [values[i] for i in rows]
    if view.proj is not None:
        for axis, name in enumerate("xyz"[:view.proj.dims]):
            table[name] = view.proj.coords[rows, axis].astype(np.float64).tolist()
    return table


def export(view, what: str, path: str) -> str:
    """Write one export of the view to `path` (no dialog); raises MlspError with the reason."""
    from engine.data.projector_tsv import write_projector, write_table_tsv
    from engine.errors import InputError

    if view.emb is None:
        raise InputError("there is nothing to export yet; load or import vectors first.")
    if what == "projector":
        meta = str(Path(path).with_name(Path(path).stem.replace("vectors", "metadata") + ".tsv"))
        if meta == str(path):
            meta = str(Path(path).with_name(Path(path).stem + "_metadata.tsv"))
        write_projector(view.emb, path, meta)
        return f"{path} and {meta}"
    if what == "png":
        view.canvas.currentWidget().grab().save(str(path))
        return str(path)
    if view.proj is None:
        raise InputError("there are no projected coordinates yet; press Project first.")
    if what == "coords":
        write_table_tsv(path, selection_table(view, np.arange(len(view.emb.labels))))
        return str(path)
    if not len(view.region):
        raise InputError("no points are selected; drag a rectangle or lasso (or Shift+drag) around some first.")
    write_table_tsv(path, selection_table(view, view.region))
    return str(path)


def ask_export(view, what: str) -> None:
    text, name, flt = EXPORTS[what]
    path, _ = QFileDialog.getSaveFileName(view, text.rstrip("…"), name, flt)
    if not path:
        return
    try:
        written = export(view, what, path)
    except MlspError as exc:
        view.ctx.notify("error", str(exc))
    else:
        view.ctx.notify("info", f"saved {written}")


# the source row ---------------------------------------------------------------------------------
class SourceBar(QWidget):
    """Source, model, the source's options, Load. It also owns Import TSV… and Export ▾, which the view
    places at the end of the projection row (one row could not hold them all beside the docks).
    The chosen source and model live in the view's ProjectorState: written there, followed from there."""

    def __init__(self, view) -> None:
        super().__init__(view)
        from engine.projection.sources import sources

        self.view = view
        self.specs = {s.id: s for s in sources()}
        self.source = QComboBox()
        for spec in self.specs.values():
            self.source.addItem(spec.title, spec.id)
            self.source.setItemData(self.source.count() - 1, spec.description, 3)   # tooltip role
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setMinimumWidth(110)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)   # titles never clipped
        self.model.setToolTip("Model: a registry id, hf:PATH or a training run folder")
        self.options_box = QHBoxLayout()
        self.option_spins: dict[str, QSpinBox] = {}
        self.load_button = QPushButton("Load")
        self.load_button.setToolTip("Compute the vectors of this source and project them")
        self.import_button = QPushButton("Import TSV…")
        self.import_button.setToolTip("Open a TensorBoard-projector vectors.tsv (and its metadata.tsv)")
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        for what, (text, _n, _f) in EXPORTS.items():
            menu.addAction(text, lambda w=what: ask_export(self.view, w))
        self.export_button.setMenu(menu)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Source:"))
        row.addWidget(self.source)
        row.addWidget(QLabel("model"))
        row.addWidget(self.model)
        row.addLayout(self.options_box)
        row.addWidget(self.load_button)
        row.addStretch(1)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.load_button.clicked.connect(lambda: self.fetch())
        self.import_button.clicked.connect(self.ask_import)
        self._source_changed()
        self._bind(view.state)

    def _bind(self, state) -> None:
        self.source.currentIndexChanged.connect(lambda _i: state.set_source(self.source.currentData() or ""))
        self.model.currentTextChanged.connect(lambda text: state.set_model(text.strip()))
        state.source_changed.connect(self._show_source)
        state.model_changed.connect(self._show_model)
        state.update(source=self.source.currentData() or "", model=self.model.currentText().strip())

    def _show_source(self, source_id: str) -> None:
        index = self.source.findData(source_id)
        if index < 0:                                   # not a source of this version: keep the shown one
            self.view.state.set_source(self.source.currentData() or "")
        elif index != self.source.currentIndex():
            self.source.setCurrentIndex(index)

    def _show_model(self, ref: str) -> None:
        if not ref:                                     # a source always has a model: keep the shown one
            self.view.state.set_model(self.model.currentText().strip())
        elif self.model.currentText().strip() != ref:
            if self.model.findText(ref) < 0:
                self.model.addItem(ref)
            self.model.setCurrentText(ref)

    def spec(self):
        return self.specs.get(self.source.currentData())

    def _source_changed(self) -> None:
        spec = self.spec()
        while self.options_box.count():
            w = self.options_box.takeAt(0).widget()
            if w is not None:
                w.hide()                                  # gone now, not when the event loop gets to it
                w.deleteLater()
        self.option_spins = {}
        if spec is None:
            return
        for opt in spec.options:
            if (opt.minimum, opt.maximum) == (0, 1):             # a yes/no option: a check box
                box = _FlagBox(opt.label)
                box.setValue(opt.default)
                self.options_box.addWidget(box)
                self.option_spins[opt.name] = box
                continue
            s = QSpinBox()
            s.setRange(opt.minimum, opt.maximum)
            s.setValue(opt.default)
            s.setPrefix(f"{opt.label} ")
            s.setSuffix(opt.suffix)
            s.setMinimumWidth(s.sizeHint().width())          # "at most 20000 lines" stays readable
            s.setToolTip(f"{opt.label} N{opt.suffix} ({opt.minimum}–{opt.maximum})")
            self.options_box.addWidget(s)
            self.option_spins[opt.name] = s
        self.model.clear()
        session_model = self.view.ctx.session.model
        for m in dict.fromkeys(m for m in (spec.default_model, session_model) if m):
            self.model.addItem(m)
        self.suggest_model(session_model)

    def suggest_model(self, ref: str) -> None:
        """Offer the window's model; choose it when it is (a run of) the source's default model."""
        spec = self.spec()
        if not ref or spec is None:
            return
        if self.model.findText(ref) < 0:
            self.model.addItem(ref)
        try:
            from engine.zoo import resolve

            found = resolve(ref)
            same = found.spec.id == spec.default_model or (spec.follows_model and spec.accepts(found))
        except MlspError:
            same = False
        self.model.setCurrentText(ref if same else spec.default_model)

    def request(self):
        from engine.projection.sources import SourceRequest

        item = self.view.ctx.session.current
        text = item.text if item is not None and item.kind == "text" else None
        audio = item.record if item is not None and item.kind == "audio" else None
        image = item.record if item is not None and item.kind == "image" else None
        return SourceRequest(text=text, audio=audio, image=image,
                             options={k: s.value() for k, s in self.option_spins.items()})

    def fetch(self, checkpoint: str | None = None, refresh: bool = False) -> None:
        """Compute the source's vectors (from `checkpoint` of the run when given), then project."""
        spec, ref = self.spec(), self.model.currentText().strip()
        if spec is None or not ref:
            self.view.ctx.notify("warning", "Choose a source and a model first.")
            return
        if refresh and self.view.fetched_from is not None:
            spec = self.specs.get(self.view.fetched_from[0], spec)
            ref = self.view.fetched_from[1]
        request = self.request()
        device = self.view.ctx.session.device
        self.view.info.setText(f"Loading {html.escape(spec.title)} from <b>{html.escape(ref)}</b>…")
        if self.view.emb is None:
            self.view.empty_hint.setText(f"Loading {html.escape(spec.title)} from <b>{html.escape(ref)}</b>…")

        token = self.view.source_token = object()       # vectors handed over later win over this fetch

        def submit(model, spec=spec, ref=ref):
            if self.view.source_token is not token:
                return
            self.view.slots.submit("source", f"Projector: {spec.title} from {ref}", fetch_job, spec.id, model, ref, device,
                              checkpoint, request, on_done=lambda emb: self._fetched(emb, spec.id, ref, refresh, token),
                              on_error=self._failed)

        if checkpoint:
            submit(self.view.ctx.models.cached(ref, device))
        else:
            self.view.ctx.models.get(ref, device, submit)

    def _fetched(self, emb, source_id: str, ref: str, refresh: bool, token: object) -> None:
        if self.view.source_token is not token:
            return
        same = refresh and self.view.emb is not None and self.view.emb.labels == emb.labels
        self.view.stage(emb, refresh=same, fetched_from=(source_id, ref), source=ref)

    def _failed(self, message: str) -> None:
        if self.view.emb is None:
            self.view.empty_hint.setText(EMPTY_HINT)
            self.view.info.setText(error_html(message))
        else:                                          # the vectors shown stay: say what failed, keep them
            self.view._show_info()
        self.view.ctx.notify("error", f"Projector: {message}")

    def ask_import(self) -> None:
        vec, _ = QFileDialog.getOpenFileName(self, "Open vectors.tsv", "", "TSV (*.tsv *.txt);;All files (*)")
        if not vec:
            return
        guess = Path(vec).with_name(Path(vec).name.replace("vectors", "metadata"))
        meta, _ = QFileDialog.getOpenFileName(self, "Open metadata.tsv (Cancel: none)",
                                              str(guess if guess.exists() and guess != Path(vec) else Path(vec).parent),
                                              "TSV (*.tsv *.txt);;All files (*)")
        self.import_files(vec, meta or None)

    def import_files(self, vectors_path: str, metadata_path: str | None) -> None:
        self.view.info.setText(f"Reading {html.escape(Path(vectors_path).name)}…")
        self.view.slots.submit("source", f"Import {Path(vectors_path).name}", read_tsv_job, vectors_path, metadata_path,
                          on_done=lambda emb: self._imported(emb, Path(vectors_path).name), on_error=self._failed)

    def _imported(self, emb, name: str = "") -> None:
        self.view.show_record(emb, source=name)
