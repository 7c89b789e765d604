"""Navigation that scales: every view is at most two clicks away in the Views dock at the default
size and at 1280 × 720 (its topic, then the view), never only behind the tab bar's scroll arrows;
the palette (Ctrl+K) finds a view by a few letters; Ctrl+W closes the view in front; the view in
front and the open topic come back at the next launch."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from window_support import wait_jobs

SOME = ["embeddings", "projector", "head_view", "attention_heatmap", "training", "audio", "image", "word2vec_slide"]


def _visible_in_window(window, widget, rect: QRect) -> bool:
    """`rect` (in `widget`'s coordinates) lies inside the window's client area."""
    top_left = widget.mapTo(window, rect.topLeft())
    return window.rect().contains(QRect(top_left, rect.size()))


def _click(qtbot, tree, item) -> None:
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())


@pytest.mark.parametrize("size", [(1400, 880), (1280, 720)])
def test_every_view_is_two_clicks_away_in_the_views_dock(make_main_window, qtbot, size):
    window = make_main_window(open_views=[])
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0] and window.height() == size[1], timeout=5000)
    QApplication.processEvents()
    nav = window.navigator
    tree = nav.tree
    assert window.views_dock.isVisible() and set(nav.items) == set(window.views.classes)
    assert _visible_in_window(window, tree.viewport(), tree.viewport().rect())
    for view_id, item in nav.items.items():
        group = item.parent()
        clicks = 0
        if not group.isExpanded():
            _click(qtbot, tree, group)                  # first click: the topic
            clicks += 1
        assert group.isExpanded()
        rect = tree.visualItemRect(item)
        assert tree.viewport().rect().contains(rect), f"{view_id} needs scrolling at {size}"
        assert _visible_in_window(window, tree.viewport(), rect)
        _click(qtbot, tree, item)                       # second click: the view
        clicks += 1
        assert clicks <= 2
        assert window.views.current_id() == view_id
    assert tree.verticalScrollBar().maximum() == 0       # the navigator never scrolls


def test_tab_bar_is_never_the_only_way(make_main_window, qtbot):
    window = make_main_window(open_views=SOME)
    window.resize(1280, 720)
    QApplication.processEvents()
    menu = window.open_views_menu
    menu.aboutToShow.emit()
    titles = [a.text() for a in menu.actions() if a.text()]
    assert all(window.views.classes[v].title in titles for v in window.views.open_ids())
    assert window.tabs_corner.isVisible()
    qtbot.waitUntil(lambda: not window.views.pending(), timeout=60000)
    wait_jobs(qtbot, window)


def test_palette_finds_and_opens_a_view(make_main_window, qtbot):
    window = make_main_window(open_views=[])
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "palette", None) is not None and window.palette.isVisible(), timeout=5000)
    palette = window.palette
    qtbot.keyClicks(palette.edit, "head")
    assert palette.visible_ids()[0] == "head_view"
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.views.current_id() == "head_view"
    assert window.navigator.current_view() == "head_view"


def test_ctrl_w_closes_the_view_in_front(make_main_window, qtbot):
    window = make_main_window(open_views=["embeddings", "projector"])
    window.show_view("projector")
    window.activateWindow()
    window.menus.actions["close_view"].trigger()
    assert window.views.open_ids() == ["embeddings"]
    assert window.menus.actions["close_view"].shortcut().toString() == "Ctrl+W"
    assert "Ctrl+K" in [k.toString() for k in window.menus.actions["find_view"].shortcuts()]


def test_the_view_in_front_and_its_topic_come_back(make_main_window, qtbot):
    first = make_main_window(open_views=SOME)
    first.show_view("head_view")
    first.close()
    second = make_main_window(open_views=None)          # the tabs open at the last quit
    qtbot.waitUntil(lambda: second.views.current_id() == "head_view", timeout=5000)
    assert second.navigator.open_group() == "Attention"
    qtbot.waitUntil(lambda: not second.views.pending(), timeout=60000)
    wait_jobs(qtbot, second)


def test_view_menu_groups_views_by_topic(make_main_window):
    window = make_main_window(open_views=[])
    assert "Attention" in window.menus.group_menus
    titles = [a.text() for a in window.menus.group_menus["Attention"].actions()]
    assert "Head view" in titles
