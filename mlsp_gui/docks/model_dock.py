"""The Model dock (right): the registry's models, the device, loading checkpoints and folders.

The registry and the device list are filled by background jobs after the window is painted
(listing devices imports torch). Loading a checkpoint goes through the ModelStore: if the file
is damaged or does not fit, the model already loaded stays in place and the dock says why.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.context import AppContext
from mlsp_gui.errors import error_html

REF_ROLE = Qt.ItemDataRole.UserRole


class ModelDock(QDockWidget):
    checkpoint_requested = Signal()
    run_folder_requested = Signal()
    hf_folder_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Model", parent)
        self.setObjectName("ModelDock")
        self.ctx = ctx
        self.specs: dict = {}
        self.devices: list = []
        self._syncing = False
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Model", "Weights", "Can"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._on_row_changed)
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 85)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # long task lists elide
        layout.addWidget(self.tree, 1)
        self.description = QLabel("Reading the model registry…")
        self.description.setWordWrap(True)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.description)
        form = QFormLayout()
        self.device_combo = QComboBox()
        self.device_combo.currentIndexChanged.connect(self._on_device_chosen)
        form.addRow("Device", self.device_combo)
        layout.addLayout(form)
        layout.addLayout(self._buttons())
        self.status = QLabel("No model loaded yet: views load the chosen model when they need it.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.setWidget(body)
        self.set_devices([])
        ctx.session.model_changed.connect(self._select_model)
        ctx.session.device_changed.connect(self._select_device)
        ctx.models.loading.connect(lambda ref, what: self._set_status(f"Loading {what}…"))
        ctx.models.loaded.connect(self._on_loaded)
        ctx.models.failed.connect(self._on_failed)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.load_button = QPushButton("Load")
        self.load_button.setToolTip("Load the chosen model on the chosen device now")
        self.load_button.clicked.connect(self.load_current)
        self.more_button = QToolButton()
        self.more_button.setText("Load checkpoint…")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.more_button.clicked.connect(self.checkpoint_requested.emit)
        menu = QMenu(self.more_button)
        menu.addAction("Checkpoint file (.safetensors, .pt)…", self.checkpoint_requested.emit)
        menu.addAction("Training run folder…", self.run_folder_requested.emit)
        menu.addAction("HuggingFace model folder (hf:PATH)…", self.hf_folder_requested.emit)
        self.more_button.setMenu(menu)
        row.addWidget(self.load_button)
        row.addWidget(self.more_button, 1)
        return row

    # registry ------------------------------------------------------------------------------------
    def set_registry(self, specs: dict) -> None:
        """Fill the list from `engine.zoo.registry()` (called when the registry job finishes)."""
        self.specs = dict(specs)
        self._syncing = True
        try:
            self.tree.clear()
            for spec in specs.values():
                caps = capability_list(spec)
                row = QTreeWidgetItem([spec.id, spec.weights_status(), caps])
                row.setData(0, REF_ROLE, spec.id)
                row.setToolTip(0, f"{spec.title}\n{spec.description}")
                row.setToolTip(2, f"can: {caps}\ntakes: {', '.join(k.value for k in spec.inputs)}")
                self.tree.addTopLevelItem(row)
        finally:
            self._syncing = False
        self._select_model(self.ctx.session.model)
        if not self.ctx.session.model:
            self.description.setText("Choose a model. Views use minilm when none is chosen.")

    def add_reference(self, ref: str, label: str) -> None:
        """A model given by path (run folder, hf:PATH): listed at the top and chosen."""
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, REF_ROLE) == ref:
                break
        else:
            row = QTreeWidgetItem([label, "your folder", ""])
            row.setData(0, REF_ROLE, ref)
            row.setToolTip(0, ref)
            self.tree.insertTopLevelItem(0, row)
        self.ctx.session.set_model(ref)

    def remove_reference(self, ref: str) -> None:
        """Take a model given by path off the list again (a folder that did not load)."""
        if ref in self.specs:
            return
        self._syncing = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                if self.tree.topLevelItem(i).data(0, REF_ROLE) == ref:
                    self.tree.takeTopLevelItem(i)
                    break
        finally:
            self._syncing = False

    def _on_row_changed(self, row, _old) -> None:
        if self._syncing or row is None:
            return
        ref = row.data(0, REF_ROLE)
        if ref == "hf":
            self.description.setText("hf:PATH — a local HuggingFace-format folder: choose it with "
                                     "Load checkpoint… ▸ HuggingFace model folder.")
            return
        self.ctx.session.set_model(ref)

    def _select_model(self, ref: str) -> None:
        self._syncing = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                row = self.tree.topLevelItem(i)
                if row.data(0, REF_ROLE) == ref:
                    self.tree.setCurrentItem(row)
                    break
            else:
                if ref and ref not in self.specs and (self.specs or ref.startswith("hf:") or Path(ref).is_dir()):
                    # a run folder made the model elsewhere (Training's "Open in views", a lesson):
                    # listed and highlighted here, never the entry chosen before it
                    row = QTreeWidgetItem([Path(ref.removeprefix("hf:")).name, "your folder", ""])
                    row.setData(0, REF_ROLE, ref)
                    row.setToolTip(0, ref)
                    self.tree.insertTopLevelItem(0, row)
                    self.tree.setCurrentItem(row)
                elif not ref:
                    self.tree.setCurrentItem(None)
        finally:
            self._syncing = False
        spec = self.specs.get(ref)
        if spec is not None:
            self.description.setText(f"<b>{html.escape(spec.title)}</b><br>{html.escape(spec.description)}"
                                     f"<br><small>can: {capability_list(spec)} · takes: "
                                     f"{', '.join(k.value for k in spec.inputs)} · weights: "
                                     f"{spec.weights_status()}</small>")
        elif ref:
            self.description.setText(f"<b>{html.escape(Path(ref.removeprefix('hf:')).name)}</b><br>"
                                     f"{html.escape(ref)}")
        model = self.ctx.models.cached(ref, self.ctx.session.device) if ref else None
        if model is not None:
            self._on_loaded(ref, model)

    # devices -------------------------------------------------------------------------------------
    def set_devices(self, devices: list) -> None:
        """Auto and CPU always; each CUDA device and MPS from `engine.devices.list_devices()`,
        enabled only when present. An empty list means 'still looking'."""
        self.devices = list(devices)
        self._syncing = True
        try:
            self.device_combo.clear()
            self.device_combo.addItem("Auto (CUDA, then MPS, then CPU)", "auto")
            self.device_combo.addItem("CPU", "cpu")
            model: QStandardItemModel = self.device_combo.model()
            if not devices:
                self.device_combo.addItem("Looking for GPUs…", "")
                model.item(2).setEnabled(False)
            for dev in devices:
                if dev.kind == "cpu":
                    continue
                self.device_combo.addItem(f"{dev.name} — {dev.description}", dev.name)
                model.item(self.device_combo.count() - 1).setEnabled(bool(dev.available))
        finally:
            self._syncing = False
        self._select_device(self.ctx.session.device)

    def available_devices(self) -> list[str]:
        model: QStandardItemModel = self.device_combo.model()
        return [self.device_combo.itemData(i) for i in range(self.device_combo.count())
                if model.item(i).isEnabled() and self.device_combo.itemData(i)]

    def _select_device(self, name: str) -> None:
        index = self.device_combo.findData(name)
        if index < 0:
            return
        self._syncing = True
        self.device_combo.setCurrentIndex(index)
        self._syncing = False

    def _on_device_chosen(self, index: int) -> None:
        name = self.device_combo.itemData(index)
        if not self._syncing and name:
            self.ctx.session.set_device(name)

    # loading -------------------------------------------------------------------------------------
    def current_ref(self) -> str:
        return self.ctx.session.model or "minilm"

    def load_current(self) -> None:
        self.ctx.models.get(self.current_ref(), self.ctx.session.device)

    def _on_loaded(self, ref: str, model) -> None:
        """Say what the chosen model is (loaded where, from what); other models the views loaded
        (word2vec for the word views, ...) are listed below it, so the line never names another model
        than the one selected above."""
        chosen = self.current_ref()
        if ref != chosen:
            model = self.ctx.models.cached(chosen, self.ctx.session.device)
        if model is None:
            text = f"<b>{html.escape(chosen)}</b> is not loaded yet: views load it when they need it (or press Load)."
        else:
            source = getattr(model, "source", "")
            text = (f"<b>{html.escape(chosen)}</b> loaded on {getattr(model, 'device', '')}"
                    + (f"<br><small>from {html.escape(str(source))}</small>" if source else ""))
        others = [r for r in self.ctx.models.loaded_refs() if r != chosen]
        if others:
            text += f"<br><small>also loaded for other views: {html.escape(', '.join(others))}</small>"
        self._set_status(text)

    def _on_failed(self, ref: str, message: str) -> None:
        kept = self.ctx.models.cached(ref, self.ctx.session.device)
        tail = " The model already loaded stays in use." if kept is not None else ""
        self._set_status(error_html(message, prefix="Could not load: ") + tail)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)


def capability_list(spec) -> str:
    """"attention, embed, train": what a registry entry declares it can do, for lists."""
    return ", ".join(sorted(c.value for c in spec.capabilities))
