"""Mouse events delivered straight to a widget (deterministic under the offscreen platform, where
QTest's synthetic cursor can drop a move that lands where it thinks the cursor already is)."""
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget


def _event(kind, widget: QWidget, pos: QPoint, button=Qt.MouseButton.NoButton, buttons=Qt.MouseButton.NoButton):
    local = QPointF(pos)
    return QMouseEvent(kind, local, QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier)


def move(widget: QWidget, pos: QPoint) -> None:
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseMove, widget, pos))
    QApplication.processEvents()


def click(widget: QWidget, pos: QPoint) -> None:
    left = Qt.MouseButton.LeftButton
    move(widget, pos)
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonPress, widget, pos, left, left))
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonRelease, widget, pos, left, Qt.MouseButton.NoButton))
    QApplication.processEvents()


def double_click(widget: QWidget, pos: QPoint) -> None:
    left = Qt.MouseButton.LeftButton
    click(widget, pos)
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonDblClick, widget, pos, left, left))
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonRelease, widget, pos, left, Qt.MouseButton.NoButton))
    QApplication.processEvents()


def drag(widget: QWidget, points: list[QPoint]) -> None:
    """Press the left button at points[0], move through the rest, release at the last."""
    left = Qt.MouseButton.LeftButton
    move(widget, points[0])
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonPress, widget, points[0], left, left))
    for p in points[1:]:
        QApplication.sendEvent(widget, _event(QEvent.Type.MouseMove, widget, p, Qt.MouseButton.NoButton, left))
        QApplication.processEvents()
    QApplication.sendEvent(widget, _event(QEvent.Type.MouseButtonRelease, widget, points[-1], left,
                                          Qt.MouseButton.NoButton))
    QApplication.processEvents()
