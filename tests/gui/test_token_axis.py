"""TokenAxis thins its labels so that none overlap: by the font's height on vertical or rotated
axes, by the widest label on a horizontal axis whose labels stand side by side."""
from __future__ import annotations

from mlsp_gui.widgets.token_axis import TokenAxis


def _gaps(axis: TokenAxis, n: int, pixels: float) -> float:
    shown = axis.labelled(-0.5, n - 0.5, pixels)
    assert len(shown) >= 2
    return min(b - a for a, b in zip(shown, shown[1:])) * pixels / n


def test_side_by_side_labels_are_spaced_by_the_widest(qtbot):
    words = [f"word{i:03d}-long" for i in range(400)]
    flat, rotated, left = TokenAxis("bottom"), TokenAxis("bottom", rotate=True), TokenAxis("left")
    for axis in (flat, rotated, left):
        axis.set_tokens(words)
    widest = max(flat._metrics.horizontalAdvance(w) for w in words)
    assert _gaps(flat, 400, 800.0) >= widest                          # no two labels overlap
    assert _gaps(rotated, 400, 800.0) >= rotated._metrics.height()    # rotated: only their height counts
    assert _gaps(rotated, 400, 800.0) < widest
    assert _gaps(left, 400, 800.0) < widest
    assert flat.labelled(10, 12, 800.0) == [10, 11, 12]                # zoomed in: every label
