"""The projector's side panel: label search, colouring and its legend, the selection tools, and
the nearest-neighbour list. Built here, driven by `mlsp_gui.views.projector.ProjectorView`."""
from __future__ import annotations

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

from mlsp_gui.widgets.color_legend import ColorLegend


def build_side_panel(view) -> QWidget:
    """The right-hand column; its widgets become attributes of `view` (search_edit, color_combo, ...)."""
    panel = QWidget()
    col = QVBoxLayout(panel)
    col.setContentsMargins(4, 0, 0, 0)
    view.search_edit = QLineEdit()
    view.search_edit.setPlaceholderText("Search labels…")
    view.search_edit.setClearButtonEnabled(True)
    view.regex_box = QCheckBox("regex")
    view.match_label = QLabel("")
    row = QHBoxLayout()
    row.addWidget(view.search_edit, 1)
    row.addWidget(view.regex_box)
    col.addLayout(row)
    col.addWidget(view.match_label)
    view.color_combo = QComboBox()
    view.color_combo.setToolTip("Colour the points by a metadata column")
    col.addWidget(QLabel("Colour by:"))
    col.addWidget(view.color_combo)
    view.legend = ColorLegend()
    col.addWidget(view.legend)
    modes = QHBoxLayout()
    view.mode_group = QButtonGroup(view)
    for mode, text, tip in (("pan", "Pan", "Drag to pan, wheel to zoom (Shift+drag: rectangle)"),
                            ("rect", "Rectangle", "Drag a rectangle to select its points"),
                            ("lasso", "Lasso", "Draw around the points to select")):
        b = QPushButton(text)
        b.setCheckable(True)
        b.setToolTip(tip)
        b.setProperty("mode", mode)
        view.mode_group.addButton(b)
        modes.addWidget(b)
        b.setChecked(mode == "pan")
    col.addLayout(modes)
    sel_row = QHBoxLayout()
    view.region_label = QLabel("No selection")
    view.export_selection_button = QPushButton("Export selection…")
    view.clear_button = QPushButton("Clear")
    sel_row.addWidget(view.region_label, 1)
    sel_row.addWidget(view.export_selection_button)
    sel_row.addWidget(view.clear_button)
    col.addLayout(sel_row)
    _neighbour_section(view, col)
    return panel


def _neighbour_section(view, col: QVBoxLayout) -> None:
    nn_row = QHBoxLayout()
    view.k_spin = QSpinBox()
    view.k_spin.setRange(1, 1000)
    view.k_spin.setValue(10)
    view.k_spin.setPrefix("k = ")
    view.nn_metric = QComboBox()
    view.nn_metric.addItems(["cosine", "euclidean"])
    nn_row.addWidget(QLabel("Neighbours:"))
    nn_row.addWidget(view.k_spin)
    nn_row.addWidget(view.nn_metric)
    col.addLayout(nn_row)
    view.point_label = QLabel("Click a point to list its nearest neighbours (original space).")
    view.point_label.setWordWrap(True)
    col.addWidget(view.point_label)
    view.neighbor_tree = QTreeWidget()
    view.neighbor_tree.setHeaderLabels(["#", "label", "similarity"])
    view.neighbor_tree.setRootIsDecorated(False)
    header = view.neighbor_tree.header()            # the label column takes what is left: no side scrolling
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    col.addWidget(view.neighbor_tree, 1)
