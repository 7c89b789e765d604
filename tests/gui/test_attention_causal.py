"""Causal (GPT-2 format) attention and generated tokens in the views: hand-built records and a tiny
GPT-2 folder that the test builds and saves (no downloads); degenerate one-token records."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from attention_fixtures import mha_record
from PySide6.QtWidgets import QTabWidget

from engine.records.attention import AttentionMaps
from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
from mlsp_gui.views.attention_steps import AttentionStepsView
from mlsp_gui.views.attention_summary import AttentionSummaryView
from mlsp_gui.views.head_view import HeadView
from mlsp_gui.views.model_view import ModelView

VIEWS = [AttentionHeatmapView, HeadView, ModelView, AttentionStepsView, AttentionSummaryView]


def with_prompt(record: AttentionMaps, prompt_length: int) -> AttentionMaps:
    return AttentionMaps(model=record.model, stacks=record.stacks, step=record.step, prompt_length=prompt_length)


def test_generated_tokens_are_marked(qtbot):
    tokens = ["the", " cat", " sat", " on", " the", " mat"]
    rec = with_prompt(mha_record(tokens, causal=True, step=(0, 1)), 3)
    ctx = AppContext.create()
    heatmap, head = AttentionHeatmapView(ctx), HeadView(ctx)
    for v in (heatmap, head):
        qtbot.addWidget(v)
        v.show_record(rec)
        assert "Tokens 3–5 were generated" in v.note_label.text() and v.note_label.isVisibleTo(v)
    assert heatmap.heatmap._hline.isVisibleTo(heatmap.heatmap.plot) and heatmap.heatmap._hline.value() == 2.5
    assert np.all(np.triu(heatmap.heatmap.data(), k=1) == 0)
    assert head.lines.canvas.generated_from == 3
    assert all(np.all(j <= i) for i, j, _w in head.lines.canvas.visible_lines().values())   # no line to the future


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.view_id)
def test_one_token_records_draw(qtbot, cls):
    view = cls(AppContext.create())
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_record(mha_record(["[CLS]"], layers=1, heads=2, step=(0, 0)))
    assert not view.grab().isNull() and view.export_table() is not None


def _hf_tiny():
    spec = importlib.util.spec_from_file_location("hf_tiny", Path(__file__).parents[1] / "engine" / "hf_tiny.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_tiny_gpt2_generation_in_the_views(qtbot, tmp_path):
    folder = _hf_tiny().save_gpt2(tmp_path / "gpt2")
    ctx = AppContext.create()
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    heatmap, steps = AttentionHeatmapView(ctx), AttentionStepsView(ctx)
    tabs.addTab(heatmap, heatmap.title)
    tabs.addTab(steps, steps.title)
    tabs.show()
    ctx.session.set_model(f"hf:{folder}")
    heatmap.ctx.attention.set_generate(3)
    ctx.session.add_input(InputItem(kind="text", name="prompt", text="the cat sat"))
    qtbot.waitUntil(lambda: heatmap.record is not None, timeout=60000)
    rec = heatmap.record
    assert rec.prompt_length is not None and len(rec.tokens) == rec.prompt_length + 3
    assert rec.stacks[0].kind == "causal-self" and np.all(np.triu(rec.weights, k=1) == 0)
    assert heatmap.heatmap._hline.value() == rec.prompt_length - 0.5
    tabs.setCurrentWidget(steps)
    qtbot.waitUntil(lambda: steps.record is not None and steps.record.step is not None, timeout=60000)
    steps.tokens.select(1)
    masked = [steps.table.item(j, 2).text() == "masked" for j in range(len(rec.tokens))]
    assert masked == [j > 1 for j in range(len(rec.tokens))]
    assert steps._checks.worst() < 1e-4
    ctx.jobs.wait(30000)
