"""Which points a region holds, and which labels a search matches (numpy, for any N)."""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from engine.errors import InputError


def points_in_rect(xy: np.ndarray, x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
    """Indices (ascending) of the points of xy (N, 2+) inside the axis-aligned rectangle."""
    lo_x, hi_x = min(x0, x1), max(x0, x1)
    lo_y, hi_y = min(y0, y1), max(y0, y1)
    x, y = xy[:, 0], xy[:, 1]
    return np.flatnonzero((x >= lo_x) & (x <= hi_x) & (y >= lo_y) & (y <= hi_y))


def points_in_polygon(xy: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the points of xy (N, 2+) inside the closed polygon (M, 2) (even-odd rule)."""
    poly = np.asarray(polygon, np.float64)
    if poly.ndim != 2 or len(poly) < 3:
        return np.zeros(0, np.int64)
    (x0, y0), (x1, y1) = poly.min(axis=0), poly.max(axis=0)
    cand = points_in_rect(xy, x0, x1, y0, y1)
    px, py = xy[cand, 0].astype(np.float64), xy[cand, 1].astype(np.float64)
    inside = np.zeros(len(cand), bool)
    ax, ay = poly[:, 0], poly[:, 1]
    bx, by = np.roll(ax, 1), np.roll(ay, 1)
    for i in range(len(poly)):                      # one edge at a time, all candidate points at once
        crosses = (ay[i] > py) != (by[i] > py)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = (bx[i] - ax[i]) * (py - ay[i]) / (by[i] - ay[i]) + ax[i]
        inside ^= crosses & (px < x_at)
    return cand[inside]


def match_labels(labels: Sequence[str], query: str, regex: bool = False, case: bool = False) -> np.ndarray:
    """Bool mask (N,) of the labels containing `query` (a substring, or a regular expression).

    An empty query matches nothing; a bad regular expression raises InputError saying where."""
    if not query:
        return np.zeros(len(labels), bool)
    flags = 0 if case else re.IGNORECASE
    try:
        pattern = re.compile(query if regex else re.escape(query), flags)
    except re.error as exc:
        raise InputError(f"'{query}' is not a valid regular expression ({exc.msg} at position {exc.pos}); "
                         f"fix it or search for plain text.") from None
    search = pattern.search
    return np.fromiter((search(s) is not None for s in labels), dtype=bool, count=len(labels))
