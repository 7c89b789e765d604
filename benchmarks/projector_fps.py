"""Projector speed, in one run: frames per second of the real 2-D scatter while the view pans and
zooms, at 10k, 100k and 1M points, against pyqtgraph's own ScatterPlotItem (the naive way) at
10k and 100k; and PCA of 1,000,000 x 100 against scikit-learn's PCA on the same data.

  frame     set a new view range, then repaint the plot's viewport synchronously (`repaint()`),
            so the clock covers the rasterisation and the blit of a real paint; the median of
            FRAMES frames that pan and zoom over random clusters
  projector mlsp_gui.widgets.scatter_2d.Scatter2D (every point, rasterised per frame)
  naive     pg.PlotWidget + pg.ScatterPlotItem(pen=None) with the same colours, the same point size
            (the projector's: 5 px at 10k, 3 px at 100k) and the same view-range changes; it draws
            no labels, the projector draws up to 250
  pca       engine.projection.pca.pca(X, 2) vs sklearn.decomposition.PCA(2, svd_solver="randomized")
            and PCA(2) (its default: full SVD here), X = 1,000,000 x 100 float32

Goals: 100k points >= 30 frames/s, 1M points >= 10 frames/s, PCA of 1M x 100 under 5 s.
The machine is shared: run it when it is quiet and read the ratios, not just the absolute times.

    QT_QPA_PLATFORM=offscreen python benchmarks/projector_fps.py [--frames 40] [--json]
    xvfb-run -a -s "-screen 0 1600x1000x24" python benchmarks/projector_fps.py
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = (10_000, 100_000, 1_000_000)
NAIVE_SIZES = (10_000, 100_000)
WIDTH, HEIGHT = 1000, 700


def clusters(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) points in 20 Gaussian clusters and their cluster number."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, 2)) * 10
    which = rng.integers(0, 20, n)
    return (centres[which] + rng.standard_normal((n, 2))).astype(np.float32), which


def view_ranges(x0, x1, y0, y1, frames: int) -> list[tuple[list[float], list[float]]]:
    """Pan around the centre and zoom in and out by up to 2x: what a user's drag and wheel do."""
    out = []
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    for i in range(frames):
        s = 1.0 + 0.5 * np.sin(i / 4.0)
        px, py = cx + 0.15 * w * np.cos(i / 3.0), cy + 0.15 * h * np.sin(i / 5.0)
        out.append(([px - w / 2 / s, px + w / 2 / s], [py - h / 2 / s, py + h / 2 / s]))
    return out


def time_frames(plot, set_range, frames: int) -> float:
    """Median seconds per frame: set the range, repaint the viewport now."""
    from PySide6.QtWidgets import QApplication

    (x0, x1), (y0, y1) = plot.getViewBox().viewRange()
    times = []
    for xr, yr in view_ranges(x0, x1, y0, y1, frames):
        t = time.perf_counter()
        set_range(xr, yr)
        plot.viewport().repaint()
        times.append(time.perf_counter() - t)
        QApplication.processEvents()
    return statistics.median(times[2:])                  # the first frames warm caches up


def projector_fps(n: int, frames: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from mlsp_gui.views.projector import point_size
    from mlsp_gui.widgets.palettes import color_by
    from mlsp_gui.widgets.scatter_2d import Scatter2D

    xy, which = clusters(n)
    colors = color_by("cluster", [f"c{k}" for k in which], n).colors
    w = Scatter2D()
    w.resize(WIDTH, HEIGHT)
    w.show()
    QApplication.processEvents()
    t = time.perf_counter()
    w.cloud.point_size = point_size(n)
    w.set_points(xy, colors, [f"p{i}" for i in range(n)])
    w.plot.viewport().repaint()
    load = time.perf_counter() - t
    w.update_labels()
    frame = time_frames(w.plot, lambda xr, yr: w.vb.setRange(xRange=xr, yRange=yr, padding=0), frames)
    drawn = w.cloud.count()
    w.close()
    w.deleteLater()
    return {"points": n, "frame_ms": frame * 1000, "fps": 1.0 / frame, "load_s": load, "points_held": drawn}


def naive_fps(n: int, frames: int) -> dict:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from mlsp_gui.widgets.palettes import color_by, unpack

    xy, which = clusters(n)
    rgba = (unpack(color_by("cluster", [f"c{k}" for k in which], n).colors) * 255).astype(np.uint8)
    plot = pg.PlotWidget(background="w")
    plot.resize(WIDTH, HEIGHT)
    plot.show()
    from mlsp_gui.views.projector import point_size

    item = pg.ScatterPlotItem(x=xy[:, 0], y=xy[:, 1], size=point_size(n), pen=None,
                              brush=[pg.mkBrush(*c) for c in rgba])
    plot.addItem(item)
    plot.getViewBox().autoRange(padding=0.05)
    QApplication.processEvents()
    frame = time_frames(plot, lambda xr, yr: plot.getViewBox().setRange(xRange=xr, yRange=yr, padding=0), frames)
    plot.close()
    plot.deleteLater()
    return {"points": n, "frame_ms": frame * 1000, "fps": 1.0 / frame}


def pca_times(repeats: int) -> dict:
    from sklearn.decomposition import PCA

    from engine.projection.pca import pca

    x = np.random.default_rng(0).standard_normal((1_000_000, 100), dtype=np.float32)
    x[:, :5] *= 4.0
    ours, rand, full = [], [], []
    for _ in range(repeats):                              # interleaved, so load hits all alike
        t = time.perf_counter()
        pca(x, 2)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        PCA(2, svd_solver="randomized", random_state=0).fit_transform(x)
        rand.append(time.perf_counter() - t)
    t = time.perf_counter()
    PCA(2).fit_transform(x)
    full.append(time.perf_counter() - t)
    return {"ours_s": statistics.median(ours), "sklearn_randomized_s": statistics.median(rand),
            "sklearn_default_s": full[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frames", type=int, default=40, help="frames per measurement (default 40)")
    ap.add_argument("--pca-repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print one JSON document")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    result = {"platform": app.platformName(), "size": [WIDTH, HEIGHT], "projector": [], "naive": []}
    for n in SIZES:
        result["projector"].append(projector_fps(n, args.frames))
    for n in NAIVE_SIZES:
        result["naive"].append(naive_fps(n, max(6, args.frames // 4) if n >= 100_000 else args.frames))
    result["pca"] = pca_times(args.pca_repeats)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"Qt platform {result['platform']}, plot {WIDTH}x{HEIGHT}, median of {args.frames} pan/zoom frames")
    naive = {r["points"]: r for r in result["naive"]}
    for r in result["projector"]:
        line = f"  {r['points']:>9,} points: {r['fps']:6.1f} frames/s ({r['frame_ms']:6.1f} ms/frame), load {r['load_s']:.2f} s"
        if r["points"] in naive:
            nv = naive[r["points"]]
            line += f" | naive ScatterPlotItem {nv['fps']:5.1f} frames/s -> {r['fps'] / nv['fps']:.1f}x"
        print(line)
    p = result["pca"]
    print(f"  PCA 1,000,000 x 100 -> 2: {p['ours_s']:.2f} s; sklearn randomized {p['sklearn_randomized_s']:.2f} s "
          f"({p['sklearn_randomized_s'] / p['ours_s']:.1f}x), sklearn default {p['sklearn_default_s']:.2f} s "
          f"({p['sklearn_default_s'] / p['ours_s']:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
