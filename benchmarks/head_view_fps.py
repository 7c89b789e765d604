"""Head view repaint time at 512 tokens × 12 heads, against a BertViz-style reference in the same run.

Ours: `HeadView` on a real 512-token MiniLM record (or random peaked rows with --source random),
scrolled to the middle, every head on, the default threshold: lines with an end on a visible row,
clipped and drawn in a few batched drawLines calls. Reference: the same lines drawn the BertViz way —
every line above the same threshold, one drawLine call each, opacity = weight, no culling — onto an
image of the same size. Prints milliseconds per repaint (median of N) and the ratio.

    QT_QPA_PLATFORM=offscreen python benchmarks/head_view_fps.py [--source minilm|random] [--repeats 15]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import numpy as np  # noqa: E402
from PySide6.QtCore import QLineF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

T, HEADS = 512, 12


def minilm_record():
    from engine.probes.attention import attention
    from engine.zoo import load_model

    model = load_model("minilm", "cpu")
    words = ("the animal did not cross the street because it was too tired and the rain kept falling "
             "on the old town while people waited for the last train home ").split()
    text = " ".join(words[i % len(words)] for i in range(600))
    return attention(model, text)                              # truncated to 512 tokens by the probe


def random_record():
    from attention_fixtures import random_rows

    from engine.records.attention import AttentionMaps, AttentionStack

    tokens = [f"t{i}" for i in range(T)]
    w = random_rows(np.random.default_rng(0), (2, HEADS, T, T), sharpness=3)
    return AttentionMaps("random", [AttentionStack("encoder-self", tokens, tokens, w)])


def timed(fn, repeats: int) -> float:
    """Median milliseconds of `fn()` over `repeats` runs (one warm-up run first)."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bertviz_style(canvas, weights: np.ndarray, threshold: float, image: QImage) -> int:
    """Every (head, query, key) line above `threshold`, one drawLine each, opacity = weight."""
    _text_w, left, right = canvas._columns()
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor("white"))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    n = 0
    for h in range(weights.shape[0]):
        color = QColor(canvas._colors[h])
        for i, j in zip(*np.nonzero(weights[h] >= threshold)):
            color.setAlphaF(float(weights[h, i, j]))
            painter.setPen(QPen(color, 1.0))
            y0 = 4 + i * 17 + 8.5 - canvas.offset
            y1 = 4 + j * 17 + 8.5 - canvas.offset
            painter.drawLine(QLineF(left, y0, right, y1))
            n += 1
    painter.end()
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["minilm", "random"], default="minilm")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--shot", help="save the head view (scrolled to the middle) as this PNG")
    parser.add_argument("--threshold", type=float, help="the weight threshold (default: the view's own, 0.1)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    from mlsp_gui.context import AppContext
    from mlsp_gui.views.head_view import HeadView

    record = minilm_record() if args.source == "minilm" else random_record()
    view = HeadView(AppContext.create())
    view.resize(1000, 800)
    view.show()
    if args.threshold is not None:
        view.set_threshold(args.threshold)
    t0 = time.perf_counter()
    view.show_record(record)
    app.processEvents()
    load_ms = (time.perf_counter() - t0) * 1000
    view.lines.scroll_to_row(len(record.tokens) // 2)
    canvas = view.lines.canvas
    image = QImage(canvas.size(), QImage.Format.Format_ARGB32_Premultiplied)
    ours = timed(lambda: canvas.render(image), args.repeats)
    drawn = canvas.last_drawn
    canvas.set_hover("q", len(record.tokens) // 2 + 3)
    hover = timed(lambda: canvas.render(image), args.repeats)
    canvas.set_hover("", -1)

    def scroll_and_paint():
        view.lines.scrollbar.setValue(view.lines.scrollbar.value() + 17 * 3)
        canvas.render(image)
    scroll = timed(scroll_and_paint, args.repeats)
    view.lines.scroll_to_row(len(record.tokens) // 2)
    threshold = timed(lambda: (view.set_threshold(view.threshold()), canvas.set_threshold(view.threshold()),
                               canvas.render(image)), max(3, args.repeats // 3))
    if args.shot:
        view.grab().save(args.shot)
    weights = record.stacks[0].weights[0]
    ref_lines = [0]
    reference = timed(lambda: ref_lines.__setitem__(0, bertviz_style(canvas, weights, view.threshold(), image)),
                      max(1, args.repeats // 5))
    tokens, heads = len(record.tokens), weights.shape[0]
    print(f"record: {args.source}, {tokens} tokens x {heads} heads ({tokens * tokens * heads:,} possible lines), "
          f"threshold {view.threshold():.4f}, canvas {canvas.width()}x{canvas.height()}")
    print(f"show_record (layer 0, all heads):      {load_ms:8.1f} ms")
    print(f"repaint, scrolled to the middle:       {ours:8.1f} ms  ({drawn:,} lines drawn, {1000 / ours:.0f} fps)")
    print(f"repaint while hovering a token:        {hover:8.1f} ms")
    print(f"scroll 3 rows + repaint:               {scroll:8.1f} ms")
    print(f"threshold change + repaint:            {threshold:8.1f} ms")
    print(f"reference (BertViz-style, every line above the threshold, one call each): {reference:8.1f} ms "
          f"({ref_lines[0]:,} lines)")
    print(f"ratio reference / ours: {reference / ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
