"""A progress bar painted by an item delegate (the Jobs dock's Progress column).

A QProgressBar widget per row costs a widget per job, and `QProgressBar.setValue` repaints
synchronously: every progress report of every job repainted the whole window at once, in the
middle of whatever the window was doing. A delegate paints the bar only when the view paints,
so reports cost a `dataChanged` and updates coalesce into the next ordinary paint.

Roles read from the index: `PROGRESS_ROLE` (a fraction in [0, 1], or None / negative for
"working, no fraction yet") and the display text, drawn on the bar.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar, QStyleOptionViewItem

PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
STEPS = 1000


class ProgressDelegate(QStyledItemDelegate):
    """Paints the index's PROGRESS_ROLE fraction as the style's progress bar, its text on top."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        view_opt = QStyleOptionViewItem(option)
        self.initStyleOption(view_opt, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, view_opt, painter, widget)
        fraction = index.data(PROGRESS_ROLE)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 2, -2, -2)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        bar.minimum, bar.maximum = 0, STEPS
        bar.progress = 0 if fraction is None or fraction < 0 else int(round(STEPS * min(float(fraction), 1.0)))
        bar.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
