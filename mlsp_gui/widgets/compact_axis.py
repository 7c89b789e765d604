"""A vertical plot axis whose labelled ticks stay apart however short the plot is.

pyqtgraph always labels its first tick level, choosing about log(pixels) ticks; on a plot a few
tens of pixels tall (the Training view at 1280 × 720 with the docks open) the labels 0, 0.2, …, 1.0
then overlap. `CompactAxis` widens the major spacing along 1-2-5 until labelled ticks are at least
`min_gap` pixels apart; on a tall plot it changes nothing."""
from __future__ import annotations

import math

import pyqtgraph as pg


def next_nice(step: float) -> float:
    """The next spacing of the 1-2-5 sequence above `step` (0.2 -> 0.5 -> 1 -> 2 ...)."""
    exp = math.floor(math.log10(step))
    mant = step / 10 ** exp
    for nice in (2.0, 5.0, 10.0):
        if mant < nice - 1e-9:
            return nice * 10 ** exp
    return 20.0 * 10 ** exp


def widen(levels: list, lo: float, hi: float, size: float, min_gap: float) -> list:
    """pyqtgraph tick levels [(spacing, offset), ...] with the major spacing widened until its
    ticks are `min_gap` pixels apart on an axis of `size` pixels showing lo..hi."""
    if not levels or size <= 0 or not hi > lo:
        return levels
    major, offset = levels[0]
    if major <= 0:
        return levels
    wide = major
    while size * wide / (hi - lo) < min_gap and wide < 1e3 * (hi - lo):
        wide = next_nice(wide)
    if wide == major:
        return levels
    return [(wide, 0.0), (major, offset)]           # the old major ticks stay as unlabelled minor ones


class CompactAxis(pg.AxisItem):
    def __init__(self, orientation: str = "left", min_gap: float = 22.0, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.min_gap = min_gap

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802 (pyqtgraph's name)
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.orientation not in ("left", "right"):
            return levels
        return widen(list(levels), minVal, maxVal, size, self.min_gap)
