"""Docks and view tabs: every discovered view opens in the window; tabs close and reopen from
the View menu; docks hide and come back with Reset layout."""
from window_support import jobs_named


def test_every_view_opens_in_the_window(make_main_window):
    from mlsp_gui.views import available_views, discovery_errors

    window = make_main_window(open_views=None)
    assert discovery_errors() == {}
    assert len(window.views.open_ids()) == len(available_views()) >= 1
    assert not jobs_named(window, "Open view") and not jobs_named(window, "Load view module")
    assert window.tabs.count() == len(available_views())
    assert "embeddings" in window.views.open_ids()


def test_close_a_tab_and_reopen_it_from_the_view_menu(make_main_window):
    window = make_main_window(open_views=["embeddings"])
    action = window.menus.view_actions["embeddings"]
    assert action.isChecked()
    window.tabs.tabCloseRequested.emit(window.tabs.indexOf(window.views.view("embeddings")))
    assert window.views.open_ids() == [] and window.ctx.session.views == []
    assert not action.isChecked()
    assert window.tabs.count() == 1 and window.tabs.widget(0) is window.placeholder   # the welcome page
    action.trigger()
    assert window.views.open_ids() == ["embeddings"] and window.ctx.session.views == ["embeddings"]
    assert window.tabs.indexOf(window.placeholder) < 0


def test_docks_hide_and_reset_layout_brings_them_back(make_main_window):
    window = make_main_window()
    for dock in window.docks():
        dock.toggleViewAction().trigger()
        assert not dock.isVisible()
    window.menus.actions["reset_layout"].trigger()
    assert all(d.isVisible() for d in window.docks())
    areas = {d.objectName(): window.dockWidgetArea(d).name for d in window.docks()}
    assert areas == {"ViewsDock": "LeftDockWidgetArea", "InputsDock": "LeftDockWidgetArea", "ModelDock": "RightDockWidgetArea",
                     "JobsDock": "BottomDockWidgetArea", "LessonsDock": "RightDockWidgetArea"}
