"""Every view fits the middle of a 1280 x 720 window with the default docks: its minimum width is
at most the width the window leaves it. A view wider than that is squeezed below its minimum, and
Qt then cuts words off ("temperatu", "n_fft /", "…in Inp" in earlier versions). Rows of controls
wrap (mlsp_gui.widgets.flow_layout) and long lines word-wrap instead."""
from __future__ import annotations

from mlsp_gui.views import available_views


def test_every_view_fits_the_central_area_of_a_1280x720_window(qtbot, make_main_window):
    window = make_main_window(open_views=[])
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: 600 <= window.centralWidget().width() <= 720, timeout=10000)   # ~650 px in the middle
    room = window.centralWidget().width()
    too_wide = {}
    for cls in available_views():
        view = cls(window.ctx)
        qtbot.addWidget(view)
        width = view.minimumSizeHint().width()
        if width > room:
            too_wide[cls.view_id] = width
        view.deleteLater()
    assert not too_wide, f"views wider than the {room} px a 1280 x 720 window leaves them: {too_wide}"
