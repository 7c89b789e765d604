"""The "new run" form: model, data, training options and a form generated from the model's
config dataclass (defaults filled in). Invalid values are marked in red before anything
starts; `request()` returns None until every field is valid."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.context import AppContext
from mlsp_gui.training import config_fields as cf
from mlsp_gui.training.config_fields import BuiltinData, ConfigField, TrainableModel

INVALID_STYLE = "border: 2px solid #d55e00;"
DEVICES = ["auto", "cpu", "cuda", "mps"]


@dataclass(frozen=True)
class RunRequest:
    """Everything `mlsp train` needs for one run (besides --out and --json)."""

    model: str
    data: str = ""
    steps: int | None = None
    epochs: float | None = None
    batch_size: int | None = None
    lr: float | None = None
    device: str = "auto"
    seed: int | None = None
    checkpoint_every: int | None = None
    keep: int | None = None                                   # checkpoints kept on disk
    log_every: int | None = None                              # steps between step events
    overrides: dict[str, Any] = field(default_factory=dict)   # config fields changed from defaults
    config_path: str | None = None

    def options(self) -> list[str]:
        """The command-line options of this request."""
        out: list[str] = []
        for flag, value in (("--data", self.data or None), ("--steps", self.steps), ("--epochs", self.epochs),
                            ("--batch-size", self.batch_size), ("--lr", self.lr),
                            ("--device", self.device), ("--seed", self.seed),
                            ("--checkpoint-every", self.checkpoint_every), ("--keep", self.keep),
                            ("--log-every", self.log_every)):
            if value is not None:
                out += [flag, str(value)]
        for key, value in self.overrides.items():
            out += ["--set", f"{key}={cf.format_value(value)}"]
        return out


# (attribute, label, kind, rule, reason) of the training options every model shares
_TRAIN_FIELDS = [
    ("steps", "Steps", "int", lambda v: v >= 1, "at least 1"),
    ("epochs", "Epochs", "float", lambda v: v > 0, "must be above 0"),
    ("batch_size", "Batch size", "int", lambda v: v >= 1, "at least 1"),
    ("lr", "Learning rate", "float", lambda v: v > 0, "must be above 0"),
    ("seed", "Seed", "int", lambda v: v >= 0, "0 or more"),
    ("checkpoint_every", "Checkpoint every", "int", lambda v: v >= 1, "at least 1 step"),
    ("keep", "Keep checkpoints", "int", lambda v: v >= 1, "at least 1"),
    ("log_every", "Log every", "int", lambda v: v >= 1, "at least 1 step"),
]


class RunForm(QWidget):
    """Pick a trainable model and data, set options; emits `model_selected` when the model changes."""

    model_selected = Signal(str)
    models_loaded = Signal()
    fields_loaded = Signal(str)           # model id whose config form is now shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._models: dict[str, TrainableModel] = {}
        self._builtin: list[BuiltinData] = []
        self._fields: list[ConfigField] = []
        self._config_edits: dict[str, QWidget] = {}
        self._train_edits: dict[str, QLineEdit] = {}
        self._prefill: tuple | None = None           # (model, data, steps, settings) waiting for the lists
        self._build()
        self.models_loaded.connect(self._apply_prefill)
        self.fields_loaded.connect(self._apply_prefill_settings)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QFormLayout()
        self.model_box = QComboBox()
        self.model_box.setMinimumContentsLength(16)
        self.model_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_box.currentIndexChanged.connect(self._on_model_index)
        top.addRow("Model", self.model_box)
        self.data_box = QComboBox()
        self.data_box.setEditable(True)
        self.data_box.lineEdit().setPlaceholderText("the model's default data")
        self.data_box.setToolTip("builtin:NAME, or the path of a .txt file or a folder of them")
        self.browse_button = browse = QToolButton()
        browse.setText("…")
        browse.setToolTip("Train on your own file or folder")
        browse.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(browse)
        menu.addAction("File…", lambda: self._browse(False))
        menu.addAction("Folder…", lambda: self._browse(True))
        browse.setMenu(menu)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_box, 1)
        data_row.addWidget(browse)
        top.addRow("Data", data_row)
        self.device_box = QComboBox()
        self.device_box.addItems(DEVICES)
        self.device_box.setCurrentText(self.ctx.session.device if self.ctx.session.device in DEVICES else "auto")
        top.addRow("Device", self.device_box)
        layout.addLayout(top)
        train = QGroupBox("Training")
        tform = QFormLayout(train)
        for attr, label, _kind, _rule, _why in _TRAIN_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText("default")
            edit.textChanged.connect(lambda _t, a=attr: self._check_train(a))
            self._train_edits[attr] = edit
            tform.addRow(label, edit)
        layout.addWidget(train)
        self.config_group = QGroupBox("Model config")
        self.config_form = QFormLayout(self.config_group)
        layout.addWidget(self.config_group)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d55e00;")
        layout.addWidget(self.error_label)

    # loading ---------------------------------------------------------------
    def load(self) -> None:
        """List the trainable models and built-in data (in a job: it imports the registry)."""
        self.ctx.jobs.submit("List trainable models", lambda s: (cf.trainable_models(), cf.builtin_data()),
                             owner="training-form-models", on_done=self._on_models,
                             on_error=lambda m: self.error_label.setText(m))

    def _on_models(self, result: tuple[list[TrainableModel], list[BuiltinData]]) -> None:
        models, data = result
        current = self.model_box.currentData()
        self._models = {m.id: m for m in models}
        self.model_box.blockSignals(True)
        self.model_box.clear()
        for m in models:
            self.model_box.addItem(f"{m.id} — {m.title}", m.id)
            self.model_box.setItemData(self.model_box.count() - 1, m.title, Qt.ItemDataRole.ToolTipRole)
        self.model_box.blockSignals(False)
        self._builtin = data
        if not models:
            self.error_label.setText("no trainable model is registered yet.")
        self.models_loaded.emit()
        # Nothing chosen yet: word2vec (it trains in seconds, and the lecture's clusters form as it
        # does), else the first real model (toy-* models exist to check the trainer).
        real = [m.id for m in models if not m.id.startswith("toy-")]
        real.sort(key=lambda m: m != "word2vec")
        index = self.model_box.findData(current or (real[0] if real else None)) if (current or real) else 0
        before = self.model_box.currentIndex()
        self.model_box.setCurrentIndex(max(index, 0))
        if self.model_box.currentIndex() == before:          # no change signal: fill the form here
            self._on_model_index(before)

    def select_model(self, model_id: str) -> None:
        index = self.model_box.findData(model_id)
        if index >= 0:
            self.model_box.setCurrentIndex(index)

    def model_id(self) -> str:
        return str(self.model_box.currentData() or "")

    def prefill(self, model: str, data: str = "", steps: int | None = None, settings: dict | None = None) -> None:
        """Fill the form for a run a lesson suggests (the user presses Start); waits for the model
        list and the model's config fields when they are not loaded yet."""
        self._prefill = (model, data, steps, dict(settings or {}))
        if self.model_box.findData(model) >= 0:
            self._apply_prefill()

    def _apply_prefill(self) -> None:
        if self._prefill is None or self.model_box.findData(self._prefill[0]) < 0:
            return
        model, data, steps, _settings = self._prefill
        self.select_model(model)
        if data:
            self.data_box.setCurrentText(data)
        self._train_edits["steps"].setText("" if steps is None else str(steps))
        if self._config_edits and self.model_id() == model:
            self._apply_prefill_settings(model)

    def _apply_prefill_settings(self, model_id: str) -> None:
        if self._prefill is None or self._prefill[0] != model_id:
            return
        for name, value in self._prefill[3].items():
            widget = self._config_edits.get(name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(cf.format_value(value))
        self._prefill = None

    def _on_model_index(self, _index: int) -> None:
        model = self._models.get(self.model_id())
        self._clear_config()
        if model is None:
            return
        self.data_box.clear()
        # A model without default data (finetune) takes none: its config says what it trains on.
        self.data_box.setEnabled(bool(model.default_data))
        self.browse_button.setEnabled(bool(model.default_data))
        self.data_box.lineEdit().setPlaceholderText(
            "the model's default data" if model.default_data else "none: set in the model config below")
        if model.default_data:
            self.data_box.addItem(model.default_data)
        for d in self._builtin if model.default_data else []:
            if d.modality == model.modality and d.name != model.default_data:
                self.data_box.addItem(d.name)
                self.data_box.setItemData(self.data_box.count() - 1, d.description, Qt.ItemDataRole.ToolTipRole)
        self.data_box.setCurrentText(model.default_data or "")
        self.model_selected.emit(model.id)
        if model.config:
            self.ctx.jobs.submit(f"Read the config of {model.id}", lambda s, p=model.config: cf.describe_config(p),
                                 owner="training-form-fields",
                                 on_done=lambda fields, mid=model.id: self._on_fields(mid, fields),
                                 on_error=lambda m: self.error_label.setText(m))
        else:
            self.fields_loaded.emit(model.id)

    def _clear_config(self) -> None:
        while self.config_form.rowCount():
            self.config_form.removeRow(0)
        self._fields, self._config_edits = [], {}

    def _on_fields(self, model_id: str, fields: list[ConfigField]) -> None:
        if model_id != self.model_id():
            return
        self._clear_config()
        self._fields = fields
        for f in fields:
            edit = self._field_widget(f)
            label = QLabel(f.name)
            if f.help:
                label.setToolTip(f.help)
                edit.setToolTip(f.help)
                edit.setProperty("help", f.help)
            self.config_form.addRow(label, edit)
            self._config_edits[f.name] = edit
        self.fields_loaded.emit(model_id)

    def _field_widget(self, f: ConfigField) -> QWidget:
        if f.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(f.default))
            return box
        if f.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(f.choices))
            combo.setCurrentText(cf.format_value(f.default))
            return combo
        edit = QLineEdit(cf.format_value(f.default))
        if f.optional:
            edit.setPlaceholderText("none")
        edit.textChanged.connect(lambda _t, name=f.name: self._check_config(name))
        return edit

    def _browse(self, folder: bool) -> None:
        if folder:
            path = QFileDialog.getExistingDirectory(self, "Training data folder")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Training data file", "", "Text (*.txt);;All files (*)")
        if path:
            self.data_box.setCurrentText(path)

    # validation ------------------------------------------------------------
    def config_widget(self, name: str) -> QWidget | None:
        return self._config_edits.get(name)

    def train_edit(self, attr: str) -> QLineEdit:
        return self._train_edits[attr]

    def _mark(self, widget: QWidget, reason: str) -> None:
        widget.setStyleSheet(INVALID_STYLE if reason else "")
        widget.setToolTip(reason or str(widget.property("help") or ""))
        widget.setProperty("invalid", bool(reason))

    def _check_train(self, attr: str) -> tuple[bool, Any]:
        edit = self._train_edits[attr]
        _a, label, kind, rule, why = next(t for t in _TRAIN_FIELDS if t[0] == attr)
        text = edit.text().strip()
        if not text:
            self._mark(edit, "")
            return True, None
        try:
            value = cf.parse_value(ConfigField(attr, kind, None), text)
            ok = rule(value)
        except ValueError as exc:
            self._mark(edit, f"{label}: {exc}.")
            return False, None
        self._mark(edit, "" if ok else f"{label}: {why}.")
        return ok, value if ok else None

    def _check_config(self, name: str) -> tuple[bool, Any]:
        f = next(x for x in self._fields if x.name == name)
        widget = self._config_edits[name]
        if isinstance(widget, QCheckBox):
            return True, widget.isChecked()
        text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
        try:
            value = cf.parse_value(f, text)
        except ValueError as exc:
            self._mark(widget, f"{name}: {exc}.")
            return False, None
        self._mark(widget, "")
        return True, value

    def mark_config_error(self, message: str) -> None:
        """Show an error about the config (from the dataclass's own checks); mark the field it names."""
        self.error_label.setText(message)
        for name, widget in self._config_edits.items():
            if name in message:
                self._mark(widget, message)

    def invalid_fields(self) -> list[str]:
        """Names of the fields (training options and config) whose value is not valid."""
        bad = [a for a in self._train_edits if not self._check_train(a)[0]]
        bad += [f.name for f in self._fields if not self._check_config(f.name)[0]]
        return bad

    def request(self) -> RunRequest | None:
        """The run described by the form, or None (with the reasons shown) when something is invalid."""
        bad = self.invalid_fields()
        train = {a: self._check_train(a)[1] for a in self._train_edits}
        if train["steps"] is not None and train["epochs"] is not None:
            bad.append("epochs")
            self._mark(self._train_edits["epochs"], "Give steps or epochs, not both.")
        if not self.model_id():
            self.error_label.setText("Choose a model to train.")
            return None
        if bad:
            self.error_label.setText("Fix the marked fields: " + ", ".join(bad) + ".")
            return None
        self.error_label.setText("")
        overrides = {}
        for f in self._fields:
            value = self._check_config(f.name)[1]
            if value != f.default:
                overrides[f.name] = value
        model = self._models[self.model_id()]
        return RunRequest(model=model.id, data=self.data_box.currentText().strip(),
                          device=self.device_box.currentText(), overrides=overrides,
                          config_path=model.config, **train)
