"""Small icons drawn in code (no image files): one per input kind, and the application icon."""
from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

SIZE = 32
COLORS = {"text": "#3d6fb6", "audio": "#2e8b57", "image": "#b5651d"}


def _canvas() -> tuple[QPixmap, QPainter]:
    pm = QPixmap(SIZE, SIZE)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, p


def _text(p: QPainter, color: QColor) -> None:
    p.setPen(QPen(color, 2))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(6, 3, 20, 26), 2, 2)
    for i, width in enumerate((12, 14, 10, 13, 8)):
        y = 9 + i * 4
        p.drawLine(QPointF(10, y), QPointF(10 + width * 0.9, y))


def _audio(p: QPainter, color: QColor) -> None:
    p.setPen(QPen(color, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    path = QPainterPath(QPointF(2, 16))
    for x in range(2, 31):
        env = math.sin(math.pi * (x - 2) / 28)
        path.lineTo(QPointF(x, 16 - 11 * env * math.sin(x * 1.3)))
    p.drawPath(path)


def _image(p: QPainter, color: QColor) -> None:
    p.setPen(QPen(color, 2))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(3, 6, 26, 20), 2, 2)
    p.setBrush(color)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawPolygon(QPolygonF([QPointF(5, 24), QPointF(13, 13), QPointF(19, 20), QPointF(22, 17), QPointF(27, 24)]))
    p.setBrush(QColor("#e0b040"))
    p.drawEllipse(QPointF(22, 11), 2.5, 2.5)


@cache
def kind_icon(kind: str) -> QIcon:
    """The Inputs dock's icon for "text", "audio" or "image"."""
    pm, p = _canvas()
    color = QColor(COLORS.get(kind, "#666666"))
    {"audio": _audio, "image": _image}.get(kind, _text)(p, color)
    p.end()
    return QIcon(pm)


@cache
def app_icon() -> QIcon:
    """Attention weights as a small heatmap: the application's icon."""
    pm = QPixmap(64, 64)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#1f2d3d"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(0, 0, 64, 64), 12, 12)
    for i in range(4):
        for j in range(4):
            w = math.exp(-abs(i - j) * 1.2) if j <= i else 0.06
            p.setBrush(QColor.fromHsvF(0.08, 0.85, 0.25 + 0.75 * w))
            p.drawRoundedRect(QRectF(8 + j * 12.5, 8 + i * 12.5, 11, 11), 2, 2)
    p.end()
    return QIcon(pm)
