"""pyqtgraph makes each plot's context menus (PlotItem.ctrlMenu, ViewBox.menu) without a parent, so
they outlive the view that showed them (they stay as top-level widgets until the interpreter ends).
`release_plot_menus(widget)` deletes those of every plot inside `widget`; the window calls it when
it closes a view."""
from __future__ import annotations

from PySide6.QtWidgets import QGraphicsView, QWidget


def release_plot_menus(widget: QWidget) -> int:
    """Delete the context menus of the plots inside `widget`; returns how many."""
    count = 0
    for view in widget.findChildren(QGraphicsView):
        scene = view.scene()
        if scene is None:
            continue
        for item in scene.items():
            for name in ("ctrlMenu", "menu"):
                menu = getattr(item, name, None)
                if isinstance(menu, QWidget) and menu.parentWidget() is None:
                    menu.deleteLater()
                    count += 1
    return count
