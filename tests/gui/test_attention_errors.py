"""Bad models and non-text inputs: one clear message, the view keeps what it showed, nothing probes."""
import numpy as np
from attention_fixtures import mha_record

from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from mlsp_gui.views.attention_heatmap import AttentionHeatmapView


def make(qtbot, notices):
    ctx = AppContext.create(notify=lambda level, msg: notices.append((level, msg)))
    view = AttentionHeatmapView(ctx)
    qtbot.addWidget(view)
    view.show()
    return ctx, view


def test_unknown_model_reports_and_keeps_the_record(qtbot):
    notices = []
    ctx, view = make(qtbot, notices)
    rec = mha_record(["a", "b", "c"])
    view.show_record(rec)
    ctx.session.set_model("no-such-model")
    ctx.session.add_input(InputItem(kind="text", name="t", text="hello there"))
    qtbot.waitUntil(lambda: bool(notices), timeout=30000)
    level, message = notices[0]
    assert level == "error" and "unknown model 'no-such-model'" in message and "\n" not in message
    assert view.probe_bar.status_label.text().startswith("failed: unknown model")
    assert view.record is rec and np.array_equal(view.heatmap.data(), rec.weights[0, 0])
    ctx.jobs.wait(10000)


def test_non_text_input_asks_for_text_and_probes_nothing(qtbot):
    notices = []
    ctx, view = make(qtbot, notices)
    ctx.session.add_input(InputItem(kind="audio", name="a.wav", path="/tmp/a.wav"))
    assert "no text input" in view.probe_bar.source_label.text() and view.probe_bar.sample_button.isVisibleTo(view)
    assert ctx.jobs.jobs() == [] and notices == []
    ctx.session.set_model("no-such-model")                                # keep the probe it starts cheap
    view.probe_bar.sample_button.click()                                  # adds the sample sentence as an input
    assert ctx.session.current.kind == "text" and "animal" in ctx.session.current.text
    assert "no-such-model" in view.probe_bar.source_label.text()
    assert not view.probe_bar.sample_button.isVisibleTo(view)
    qtbot.waitUntil(lambda: bool(notices), timeout=30000)
    ctx.jobs.wait(30000)
