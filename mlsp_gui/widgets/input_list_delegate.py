"""Two-line rows for the Inputs dock: the kind icon, the name, and below it the size / duration /
dimensions in a quieter colour. Editing (renaming pasted text) edits the name only."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

INFO_ROLE = Qt.ItemDataRole.UserRole + 1
ICON = 24
PAD = 4


class InputListDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        height = option.fontMetrics.height()
        return QSize(option.rect.width(), max(ICON, 2 * height + 2) + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        painter.save()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)  # background
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon.paint(painter, QRect(rect.left(), rect.top() + (rect.height() - ICON) // 2, ICON, ICON))
        text_rect = rect.adjusted(ICON + 6, 0, 0, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        main = option.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        quiet = QColor(main)
        quiet.setAlpha(170)
        fm = option.fontMetrics
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(main)
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        top = QRect(text_rect.left(), text_rect.top(), text_rect.width(), fm.height())
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm.elidedText(name, Qt.TextElideMode.ElideMiddle, top.width()))
        painter.setFont(option.font)
        painter.setPen(quiet)
        info = index.data(INFO_ROLE) or ""
        bottom = top.translated(0, fm.height() + 2)
        painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm.elidedText(info, Qt.TextElideMode.ElideRight, bottom.width()))
        painter.restore()

    def updateEditorGeometry(self, editor, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        rect = option.rect.adjusted(PAD + ICON + 4, PAD, -PAD, 0)
        rect.setHeight(option.fontMetrics.height() + 6)
        editor.setGeometry(rect)
