"""The projector's side panel: label search, colouring and its legend, the selection tools, and
the nearest-neighbour list. Its choices (search, regex, colour column, mouse tool, k, distance)
live in the view's ProjectorState (mlsp_gui/views/_projector_state.py): the panel writes them
there and follows them, whoever sets them. The view draws the results into the panel's read-outs
(match count, legend, neighbour list)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from mlsp_gui.views._projector_state import ProjectorState
from mlsp_gui.widgets.color_legend import ColorLegend


class SidePanel(QWidget):
    """The right-hand column of the projector, bound to a ProjectorState."""

    clear_requested = Signal()
    export_requested = Signal()

    def __init__(self, state: ProjectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 0, 0, 0)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search labels…")
        self.search_edit.setClearButtonEnabled(True)
        self.regex_box = QCheckBox("regex")
        self.match_label = QLabel("")
        self.match_label.setTextFormat(Qt.TextFormat.RichText)      # messages are escaped HTML
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.regex_box)
        col.addLayout(row)
        col.addWidget(self.match_label)
        self.color_combo = QComboBox()
        self.color_combo.setToolTip("Colour the points by a metadata column")
        col.addWidget(QLabel("Colour by:"))
        col.addWidget(self.color_combo)
        self.legend = ColorLegend()
        col.addWidget(self.legend)
        col.addLayout(self._mode_row())
        sel_row = QHBoxLayout()
        self.region_label = QLabel("No selection")
        self.export_selection_button = QPushButton("Export selection…")
        self.clear_button = QPushButton("Clear")
        sel_row.addWidget(self.region_label, 1)
        sel_row.addWidget(self.export_selection_button)
        sel_row.addWidget(self.clear_button)
        col.addLayout(sel_row)
        self._neighbour_section(col)
        self._bind()

    def _mode_row(self) -> QHBoxLayout:
        modes = QHBoxLayout()
        self.mode_group = QButtonGroup(self)
        for mode, text, tip in (("pan", "Pan", "Drag to pan, wheel to zoom (Shift+drag: rectangle)"),
                                ("rect", "Rectangle", "Drag a rectangle to select its points"),
                                ("lasso", "Lasso", "Draw around the points to select")):
            b = QPushButton(text)
            b.setCheckable(True)
            b.setToolTip(tip)
            b.setProperty("mode", mode)
            self.mode_group.addButton(b)
            modes.addWidget(b)
            b.setChecked(mode == self.state.mode)
        return modes

    def _neighbour_section(self, col: QVBoxLayout) -> None:
        nn_row = QHBoxLayout()
        self.k_spin = QSpinBox()
        self.k_spin.setRange(1, 1000)
        self.k_spin.setValue(self.state.k)
        self.k_spin.setPrefix("k = ")
        self.nn_metric = QComboBox()
        self.nn_metric.addItems(["cosine", "euclidean"])
        self.nn_metric.setCurrentText(self.state.nn_metric)
        nn_row.addWidget(QLabel("Neighbours:"))
        nn_row.addWidget(self.k_spin)
        nn_row.addWidget(self.nn_metric)
        col.addLayout(nn_row)
        self.point_label = QLabel("Click a point to list its nearest neighbours (original space).")
        self.point_label.setTextFormat(Qt.TextFormat.RichText)      # messages are escaped HTML
        self.point_label.setWordWrap(True)
        col.addWidget(self.point_label)
        self.neighbor_tree = QTreeWidget()
        self.neighbor_tree.setHeaderLabels(["#", "label", "similarity"])
        self.neighbor_tree.setRootIsDecorated(False)
        header = self.neighbor_tree.header()            # the label column takes what is left: no side scrolling
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        col.addWidget(self.neighbor_tree, 1)

    # the widgets write the state; the state moves the widgets ------------------------------------
    def _bind(self) -> None:
        s = self.state
        self.search_edit.textChanged.connect(s.set_search)
        self.regex_box.toggled.connect(s.set_regex)
        self.color_combo.currentIndexChanged.connect(lambda _i: s.set_color_by(self.color_combo.currentData() or ""))
        self.mode_group.buttonClicked.connect(lambda b: s.set_mode(b.property("mode")))
        self.k_spin.valueChanged.connect(s.set_k)
        self.nn_metric.currentTextChanged.connect(s.set_nn_metric)
        self.clear_button.clicked.connect(self.clear_requested)
        self.export_selection_button.clicked.connect(self.export_requested)
        s.search_changed.connect(self._show_search)
        s.regex_changed.connect(self.regex_box.setChecked)
        s.color_by_changed.connect(self._show_color_by)
        s.mode_changed.connect(self._show_mode)
        s.k_changed.connect(self.k_spin.setValue)
        s.nn_metric_changed.connect(self.nn_metric.setCurrentText)
        s.region_changed.connect(self._show_region)

    def _show_search(self, text: str) -> None:
        if self.search_edit.text() != text:
            self.search_edit.setText(text)

    def _show_color_by(self, column: str) -> None:
        index = self.color_combo.findData(column or None)
        if index >= 0 and index != self.color_combo.currentIndex():
            self.color_combo.setCurrentIndex(index)

    def _show_mode(self, mode: str) -> None:
        for b in self.mode_group.buttons():
            b.setChecked(b.property("mode") == mode)

    def _show_region(self, region) -> None:
        self.region_label.setText(f"{len(region):,} selected" if len(region) else "No selection")

    def set_columns(self, names: list[str], chosen: str | None) -> None:
        """Offer "(none)" and `names` to colour by, choose `chosen` (None or unknown: "(none)") and
        put the choice in the state."""
        self.color_combo.blockSignals(True)
        self.color_combo.clear()
        self.color_combo.addItem("(none)", None)
        for name in names:
            self.color_combo.addItem(name, name)
        self.color_combo.setCurrentIndex(max(0, self.color_combo.findData(chosen) if chosen else 0))
        self.color_combo.blockSignals(False)
        self.state.set_color_by(self.color_combo.currentData() or "")
