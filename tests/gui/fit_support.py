"""Helpers of the window-fit tests: is a control wholly on screen, do labels overlap."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

SIZES = [(1400, 880), (1280, 720)]


def sized_window(make_main_window, qtbot, size, views):
    window = make_main_window(open_views=list(views))
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == tuple(size), timeout=5000)
    QApplication.processEvents()
    return window


def wholly_visible(window, widget) -> bool:
    """Shown, not clipped by any parent (a scroll area's viewport, a splitter) and inside the window."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    if widget.visibleRegion().boundingRect() != widget.rect():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


def overlapping(rects: dict[str, QRect]) -> list[tuple[str, str]]:
    names = [n for n, r in rects.items() if r.width() > 0 and r.height() > 0]
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if rects[a].intersects(rects[b])]
