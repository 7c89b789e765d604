"""Every attention view exports a PNG, an SVG, an NPZ and a CSV holding what it shows."""
import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from attention_fixtures import mha_record
from PySide6.QtGui import QImage

from engine.errors import MlspError
from mlsp_gui.context import AppContext
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
from mlsp_gui.views.attention_steps import AttentionStepsView
from mlsp_gui.views.attention_summary import AttentionSummaryView
from mlsp_gui.views.head_view import HeadView
from mlsp_gui.views.model_view import ModelView

TOKENS = ["[CLS]", "thinking", "machines", "think", "[SEP]"]
VIEWS = [AttentionHeatmapView, HeadView, ModelView, AttentionStepsView, AttentionSummaryView]


@pytest.fixture
def record():
    return mha_record(TOKENS, layers=2, heads=3, step=(1, 0), seed=8)


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.view_id)
def test_pictures_are_valid_png_and_svg(qtbot, tmp_path, cls, record):
    view = cls(AppContext.create())
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.show_record(record)
    png = view.export_bar.export("png", tmp_path / "view.png")
    image = QImage(str(png))
    picture = view.picture()
    assert not image.isNull() and (image.width(), image.height()) == (picture.width(), picture.height())
    assert len({image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)}) > 3
    svg = view.export_bar.export("svg", tmp_path / "view")                 # the suffix is added
    assert svg.name == "view.svg"
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = " ".join(t.strip() for t in root.itertext())
    assert "machines" in text or cls is ModelView                          # token labels stay text
    assert len(list(root.iter())) > 20


def test_heatmap_numbers(qtbot, tmp_path, record):
    view = AttentionHeatmapView(AppContext.create())
    qtbot.addWidget(view)
    view.show_record(record)
    view.select(0, 1, 2)
    data = np.load(view.export_bar.export("npz", tmp_path / "h.npz"))
    assert np.array_equal(data["matrix"], record.weights[1, 2]) and data["rows"].tolist() == TOKENS
    assert int(data["layer"]) == 1 and int(data["head"]) == 2
    with open(view.export_bar.export("csv", tmp_path / "h.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["query \\ key", *TOKENS]
    assert [r[0] for r in rows[1:]] == TOKENS
    assert np.allclose(np.array([[float(x) for x in r[1:]] for r in rows[1:]]), record.weights[1, 2], atol=1e-7)


def test_head_view_numbers_are_the_drawn_lines(qtbot, tmp_path, record):
    view = HeadView(AppContext.create())
    qtbot.addWidget(view)
    view.show_record(record)
    view.picker.set_heads({0, 2})
    view.set_threshold(0.05)
    with open(view.export_bar.export("csv", tmp_path / "lines.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    w = record.weights[0]
    assert len(rows) == int((w[0] >= 0.05).sum() + (w[2] >= 0.05).sum())
    for r in rows:
        h, i, j = int(r["head"]), int(r["query_index"]), int(r["key_index"])
        assert h in (0, 2) and float(r["weight"]) == pytest.approx(float(w[h, i, j])) and r["query"] == TOKENS[i]
    data = np.load(view.export_bar.export("npz", tmp_path / "lines.npz"))
    assert np.array_equal(data["weights"], w) and data["heads"].tolist() == [0, 2]


def test_model_steps_and_summary_numbers(qtbot, tmp_path, record):
    ctx = AppContext.create()
    model, steps, summary = ModelView(ctx), AttentionStepsView(ctx), AttentionSummaryView(ctx)
    for v in (model, steps, summary):
        qtbot.addWidget(v)
        v.show_record(record)
    data = np.load(model.export_bar.export("npz", tmp_path / "m.npz"))
    assert np.array_equal(data["weights"], record.weights) and data["tokens_k"].tolist() == TOKENS
    with open(model.export_bar.export("csv", tmp_path / "m.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + 2 * 3 * len(TOKENS)
    assert np.allclose([float(x) for x in rows[1 + 3 * len(TOKENS) + 2][4:]], record.weights[1, 0, 2])
    steps.tokens.select(3)
    data = np.load(steps.export_bar.export("npz", tmp_path / "s.npz"))
    assert int(data["query"]) == 3 and np.array_equal(data["out"], record.step.out)
    with open(steps.export_bar.export("csv", tmp_path / "s.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["score"]) for r in rows] == pytest.approx(record.step.scores[3].tolist())
    data = np.load(summary.export_bar.export("npz", tmp_path / "r.npz"))
    assert np.allclose(data["entropy"], summary.summary.entropy) and data["rollout"].shape == (5, 5)


def test_export_errors_are_one_sentence(qtbot, tmp_path, record):
    view = AttentionHeatmapView(AppContext.create())
    qtbot.addWidget(view)
    with pytest.raises(MlspError, match="nothing to export"):
        view.export_bar.export("npz", tmp_path / "empty.npz")
    view.show_record(record)
    with pytest.raises(MlspError, match="does not exist"):
        view.export_bar.export("png", tmp_path / "missing" / "x.png")
