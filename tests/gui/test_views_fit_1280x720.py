"""Every view fits the middle of a 1280 x 720 window with the default docks: its minimum width is
at most the width the window leaves it. A view wider than that is squeezed below its minimum, and
Qt then cuts words off ("temperatu", "n_fft /", "…in Inp" in earlier versions). Rows of controls
wrap (mlsp_gui.widgets.flow_layout) and long lines word-wrap instead.

Two views are still wider than the room and are listed with their widths: their splitters hold a
plot and a form or panel side by side (see the README's notes); the test fails if either grows."""
from __future__ import annotations

from mlsp_gui.views import available_views

WIDER = {"projector": 700, "training": 700}      # side-by-side splitters, measured 689 and 684


def test_every_view_fits_the_central_area_of_a_1280x720_window(qtbot, make_main_window):
    window = make_main_window(open_views=[])
    window.resize(1280, 720)
    qtbot.wait(100)
    room = window.centralWidget().width()
    assert 600 <= room <= 720, room                  # the default docks leave ~650 px in the middle
    too_wide = {}
    for cls in available_views():
        view = cls(window.ctx)
        qtbot.addWidget(view)
        width = view.minimumSizeHint().width()
        limit = WIDER.get(cls.view_id, room)
        if width > limit:
            too_wide[cls.view_id] = width
        view.deleteLater()
    assert not too_wide, f"views wider than the {room} px a 1280 x 720 window leaves them: {too_wide}"
