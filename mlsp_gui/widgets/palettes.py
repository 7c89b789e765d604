"""Colour-blind-safe palettes and the colouring of points by a metadata column.

Categorical: Okabe-Ito's seven colours, then seven more picked to stay apart from them and from
each other in CIELAB (every pair of the fourteen differs by ΔE ≥ 28: two groups never look alike);
categories past the palette share "other" grey, and the legend and labels name them.
Numeric: viridis over the 2nd..98th percentile.
Colours are packed as uint32 0xAARRGGBB (QImage.Format_ARGB32_Premultiplied, opaque).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
TABLEAU_CB10 = ["#006BA4", "#FF800E", "#ABABAB", "#595959", "#5F9ED1",
                "#C85200", "#898989", "#A2C8EC", "#FFBC79", "#CFCFCF"]
# After Okabe-Ito: black, indigo, brown, olive, rose, wine, dark red (greedy max-min ΔE from Tol's and
# Okabe-Ito's sets, "other" grey included in the comparison). Tableau's blues and oranges were too
# close to Okabe-Ito's own (verb and country, animal and capital shared a colour).
CATEGORICAL = OKABE_ITO[:7] + ["#000000", "#332288", "#661100", "#999933", "#E73F74", "#882255", "#AA0000"]
OTHER = "#B0B0B0"
DEFAULT = "#2F6FB0"
MAX_CATEGORIES = len(CATEGORICAL)         # more distinct values than this: the rest are "other"


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def pack(rgb: np.ndarray) -> np.ndarray:
    """(K, 3) uint8 RGB -> (K,) uint32 opaque 0xFFRRGGBB."""
    rgb = np.asarray(rgb, np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


def unpack(colors: np.ndarray) -> np.ndarray:
    """(N,) uint32 0xAARRGGBB -> (N, 4) float32 RGBA in 0..1 (for OpenGL)."""
    c = np.asarray(colors, np.uint32)
    out = np.empty((len(c), 4), np.float32)
    for i, shift in enumerate((16, 8, 0, 24)):
        out[:, i] = ((c >> shift) & 0xFF) / 255.0
    return out


def fade(colors: np.ndarray, amount: float = 0.65) -> np.ndarray:
    """Colours moved `amount` of the way to white (the points a search did not match)."""
    c = np.asarray(colors, np.uint32)
    out = np.full(len(c), 0xFF000000, np.uint32)
    for shift in (16, 8, 0):
        ch = ((c >> shift) & 0xFF).astype(np.float32)
        out |= (ch + (255.0 - ch) * amount).astype(np.uint32) << shift
    return out


def viridis(n: int = 256) -> np.ndarray:
    """(n, 3) uint8 viridis, from pyqtgraph's copy of matplotlib's table."""
    import pyqtgraph as pg

    return np.asarray(pg.colormap.get("viridis").getLookupTable(0.0, 1.0, n, alpha=False), np.uint8)[:, :3]


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str          # "#RRGGBB"
    count: int


@dataclass(frozen=True)
class Coloring:
    """Per-point colours and what the legend shows. `numeric_range` is set for a numeric column."""

    column: str
    colors: np.ndarray                      # (N,) uint32
    entries: list[LegendEntry]
    numeric_range: tuple[float, float] | None = None


def _as_numbers(values: Sequence[str]) -> np.ndarray | None:
    try:
        return np.array([float(v) if v.strip() else np.nan for v in values], np.float64)
    except ValueError:
        return None


def color_by(column: str, values: Sequence[str] | None, n: int) -> Coloring:
    """Colour N points by a column's values (None: one colour for all)."""
    if values is None:
        rgb = np.array([hex_to_rgb(DEFAULT)])
        return Coloring(column="", colors=np.full(n, pack(rgb)[0], np.uint32), entries=[])
    numbers = _as_numbers(values)
    if numbers is not None and len(np.unique(numbers[np.isfinite(numbers)])) > MAX_CATEGORIES:
        return _numeric(column, numbers)          # a few distinct numbers (ids, layers) stay categories
    return _categorical(column, values)


def _categorical(column: str, values: Sequence[str]) -> Coloring:
    uniq, inverse, counts = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True,
                                      return_counts=True)
    # most frequent first, then by name; a value literally called "other" goes last, in grey
    is_other = np.char.lower(uniq.astype(str)) == "other"
    order = np.lexsort((uniq, -counts, is_other))
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    shown = min(len(uniq), MAX_CATEGORIES if len(uniq) > MAX_CATEGORIES else len(uniq))
    if len(uniq) > MAX_CATEGORIES:
        shown = MAX_CATEGORIES - 1                            # the last slot becomes "other"
    hexes = CATEGORICAL[:shown] + [OTHER]
    if is_other.any() and rank[is_other][0] < shown:
        hexes[int(rank[is_other][0])] = OTHER                 # "other" keeps grey; no palette colour spent
    table = pack(np.array([hex_to_rgb(h) for h in hexes]))
    point_rank = rank[inverse]
    colors = table[np.minimum(point_rank, shown)]
    entries = [LegendEntry(str(uniq[order[i]]), hexes[i], int(counts[order[i]])) for i in range(shown)]
    if len(uniq) > shown:
        rest = int(counts[order[shown:]].sum())
        entries.append(LegendEntry(f"other ({len(uniq) - shown} values)", OTHER, rest))
    return Coloring(column=column, colors=colors, entries=entries)


def _numeric(column: str, numbers: np.ndarray) -> Coloring:
    """Viridis between the 2nd and 98th percentiles; on a log scale for positive heavy-tailed
    columns (word counts), so that the many rare words do not all get the same colour."""
    finite = np.isfinite(numbers)
    lo, hi = np.percentile(numbers[finite], [2, 98]) if finite.any() else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    log = bool(lo > 0 and hi / lo > 100)
    t = np.log if log else (lambda v: v)
    lut = pack(viridis(256))
    pos = np.clip((t(np.clip(np.nan_to_num(numbers, nan=lo), lo, hi)) - t(lo)) / (t(hi) - t(lo)), 0.0, 1.0)
    colors = lut[(pos * 255).astype(np.int64)]
    colors[~finite] = pack(np.array([hex_to_rgb(OTHER)]))[0]
    stops = [0.0, 0.25, 0.5, 0.75, 1.0]
    vir = viridis(256)
    value = (lambda s: float(np.exp(np.log(lo) + s * (np.log(hi) - np.log(lo))))) if log else (lambda s: lo + s * (hi - lo))
    entries = [LegendEntry(f"{value(s):.4g}", "#{:02X}{:02X}{:02X}".format(*vir[int(s * 255)]), 0) for s in stops]
    return Coloring(column=column, colors=colors, entries=entries, numeric_range=(float(lo), float(hi)))
