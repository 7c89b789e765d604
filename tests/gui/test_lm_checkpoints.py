"""A gpt-mini training run opened in views: each checkpoint handed to the session reloads its
weights, so the attention heatmap (heads specialising) and the Next token bars change with it."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from tests.engine.lm_tiny import train_tiny_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return train_tiny_run(tmp_path_factory.mktemp("gpt-mini"), "gpt-mini", steps=6, checkpoint_every=3)


def _checkpoints(run: Path) -> list[str]:
    return sorted(str(p) for p in (run / "checkpoints").glob("step-*"))


def test_attention_heatmap_and_next_token_follow_the_runs_checkpoints(qtbot, run_dir):
    from mlsp_gui.views.attention_heatmap import AttentionHeatmapView
    from mlsp_gui.views.next_token import NextTokenView

    ctx = AppContext.create()
    heat, nxt = AttentionHeatmapView(ctx), NextTokenView(ctx)
    for v in (heat, nxt):
        qtbot.addWidget(v)
        v.resize(900, 600)
        v.show()
    ctx.session.set_model(str(run_dir))
    ctx.session.add_input(InputItem(kind="text", name="s", text="the queen lives in the castle"))
    qtbot.waitUntil(lambda: heat.record is not None and nxt.record is not None, timeout=120000)
    step3, step6 = _checkpoints(run_dir)[:2]
    first_heat, first_bars = heat.record, nxt.record       # both of the run's newest weights (step 6)
    ctx.session.set_checkpoint(str(run_dir), step3)
    qtbot.waitUntil(lambda: "step-00000003" in nxt.source.checkpoint, timeout=60000)
    qtbot.waitUntil(lambda: nxt.record is not first_bars, timeout=60000)     # the bars re-probed step 3
    qtbot.waitUntil(lambda: heat.record is not first_heat, timeout=60000)     # the heatmap re-probed step 3 too
    at3_heat, at3_bars = heat.record, nxt.record
    ctx.session.set_checkpoint(str(run_dir), step6)
    qtbot.waitUntil(lambda: "step-00000006" in nxt.source.checkpoint and nxt.record is not at3_bars, timeout=60000)
    qtbot.waitUntil(lambda: heat.record is not at3_heat, timeout=60000)
    assert not np.allclose(nxt.record.raw, at3_bars.raw)
    assert not np.allclose(heat.record.stacks[0].weights, at3_heat.stacks[0].weights)
