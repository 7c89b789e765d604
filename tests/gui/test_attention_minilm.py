"""The attention views in the real main window on the packaged MiniLM (the default model), checked
against transformers' own attentions; one probe is shared, stale results never paint, steps re-probe."""
import numpy as np
import pytest
from qt_events import click

from mlsp_gui.session import InputItem

pytestmark = pytest.mark.slow
VIEWS = ["attention_heatmap", "head_view", "model_view", "attention_steps", "attention_summary"]
TEXT = "The cat sat on the mat because it was tired."
PAIR = "It was late."


@pytest.fixture(scope="module")
def reference():
    """transformers' own weights (L, H, T, T) for the same folder, keyed by (text, pair); made before
    the window fixture starts counting threads (tqdm's monitor thread is switched off too)."""
    import torch
    import tqdm
    from transformers import AutoModel, AutoTokenizer

    from engine.pretrained.minilm import minilm_folder

    tqdm.tqdm.monitor_interval = 0
    folder = str(minilm_folder())
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModel.from_pretrained(folder, local_files_only=True, attn_implementation="eager").eval()
    out = {}
    for pair in (None, PAIR):
        with torch.inference_mode():
            res = model(**tok(TEXT, pair, return_tensors="pt"), output_attentions=True)
        out[pair] = torch.stack(res.attentions)[:, 0].numpy()
    return out


def focus(window, view_id):
    window.views.open(view_id, focus=True)
    return window.views.view(view_id)


def test_views_on_minilm_in_the_window(qtbot, reference, make_main_window):
    window = make_main_window(open_views=VIEWS)
    session = window.ctx.session
    session.set_model("")                                                   # none chosen: minilm
    heatmap = focus(window, "attention_heatmap")
    session.add_input(InputItem(kind="text", name="first", text="A dog barked."))
    session.add_input(InputItem(kind="text", name="second", text=TEXT))     # supersedes the first at once
    qtbot.waitUntil(lambda: heatmap.record is not None, timeout=120000)
    rec = heatmap.record
    assert rec.model == "minilm" and rec.tokens[:3] == ["[CLS]", "the", "cat"] and rec.tokens[-1] == "[SEP]"
    assert np.allclose(rec.weights, reference[None], atol=1e-5)
    assert np.allclose(heatmap.heatmap.data(), rec.weights[0, 0])

    model = focus(window, "model_view")
    qtbot.waitUntil(lambda: model.record is not None, timeout=30000)
    assert model.record is rec                                             # same request: probed once
    click(model.plot_widget.viewport(), model.cell_center(4, 7))
    assert window.tabs.currentWidget() is heatmap and heatmap.selection() == (0, 4, 7)

    steps = focus(window, "attention_steps")
    qtbot.waitUntil(lambda: steps.record is not None and steps.record.step is not None, timeout=60000)
    steps.head_combo.setCurrentIndex(5)                                    # re-probes for layer 0, head 5
    qtbot.waitUntil(lambda: steps.record.step.head == 5, timeout=60000)
    step = steps.record.step
    assert np.allclose(step.weights, rec.weights[0, 5], atol=1e-5)
    assert steps._checks.worst() < 1e-4
    assert steps.out_check.text().startswith("recomputed output matches the model's output")

    head = focus(window, "head_view")
    heatmap.ctx.attention.set_pair(PAIR)                                # sentence B for every view
    qtbot.waitUntil(lambda: head.record is not None and head.record.segments_q is not None
                    and 1 in head.record.segments_q, timeout=60000)
    assert head.pair_combo.isEnabled()
    assert np.allclose(head.record.weights, reference[PAIR], atol=1e-5)
    window.ctx.jobs.wait(60000)
