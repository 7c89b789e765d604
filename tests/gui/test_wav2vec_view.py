"""The wav2vec view: masked spans shaded on the spectrogram's time axis, one dot per masked frame for
the true target and K for the distractors, the code strip and the codebook histogram — the numbers of
the model's masked-prediction record; "Mask again" draws other spans; checkpoints are followed."""
from __future__ import annotations

import numpy as np
import pytest
from audio_words import RATE, tiny_wav2vec_run, tone_word

from engine.records.inputs import AudioInput
from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from mlsp_gui.views.wav2vec_view import Wav2VecView


def audio(x, name="word.wav") -> AudioInput:
    x = np.asarray(x, np.float32)
    return AudioInput(None, name, x, RATE, len(x) / RATE, RATE, 1, False, "")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return tiny_wav2vec_run(tmp_path_factory.mktemp("w2v"))


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = Wav2VecView(ctx)
    qtbot.addWidget(v)
    v.resize(1100, 650)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def test_masks_similarities_codes_and_usage(qtbot, view, run_dir, tmp_path):
    from engine.zoo import load_model

    view.ctx.session.set_model(str(run_dir))
    clip = np.concatenate([tone_word(300.0, 1, 0.5), tone_word(2000.0, 2, 0.5)])
    view.ctx.session.add_input(InputItem(kind="audio", name="two.wav", record=audio(clip, "two.wav")))
    qtbot.waitUntil(lambda: view.record is not None and not view.slots.running(), timeout=60_000)
    p = view.record.prediction
    expected = load_model(str(run_dir), "cpu").masked_prediction(audio(clip, "two.wav"), seed=0)
    np.testing.assert_array_equal(p.mask, expected.mask)
    np.testing.assert_allclose(p.positive, expected.positive, atol=1e-5)
    xs, ys = view.target_dots.getData()
    assert len(xs) == int(p.mask.sum()) and np.allclose(ys, p.positive)
    assert len(view.distractor_dots.getData()[0]) == p.negatives.size
    edges = np.diff(np.concatenate([[0], p.mask.astype(int), [0]]))
    assert len(view.spans) == 2 * int((edges == 1).sum())                 # on the spectrogram and the dots
    t0, t1 = view.spans[0].getRegion()
    first = int(np.flatnonzero(p.mask)[0])
    assert abs(t0 - (p.times[first] - 0.01)) < 1e-6
    assert view.codes.image.shape == (1, len(p.times))
    assert view.usage_bars.opts["height"].sum() == len(p.times) * p.codes.shape[1]
    assert f"of {len(p.mask)} frames masked" in view.summary.text() and "perplexity" in view.summary.text()
    view.grab().save(str(tmp_path / "wav2vec.png"))
    before = p.mask.copy()
    view.again.click()
    qtbot.waitUntil(lambda: view.record.prediction.mask is not before and not view.slots.running(), timeout=60_000)
    assert view.view_state() == {"seed": 1} and not np.array_equal(view.record.prediction.mask, before)


def test_follows_checkpoints_and_says_what_is_wrong(qtbot, view, run_dir):
    from engine.training.runs import list_checkpoints

    view.ctx.session.set_model(str(run_dir))
    view.ctx.session.add_input(InputItem(kind="audio", name="w.wav", record=audio(tone_word(300.0, 1), "w.wav")))
    qtbot.waitUntil(lambda: view.record is not None and not view.slots.running(), timeout=60_000)
    first = str(list_checkpoints(run_dir)[0].path)
    view.ctx.session.set_checkpoint(str(run_dir), first)
    qtbot.waitUntil(lambda: view.record.source.startswith(first) and not view.slots.running(), timeout=60_000)
    view.ctx.session.add_input(InputItem(kind="audio", name="tick.wav", record=audio(np.full(200, 0.5), "tick.wav")))
    qtbot.waitUntil(lambda: "receptive field" in view.status.text(), timeout=60_000)
    assert view.record.audio.name == "w.wav"


def test_the_attention_heatmap_shows_self_attention_over_frames(qtbot):
    from mlsp_gui.views.attention_heatmap import AttentionHeatmapView

    ctx = AppContext.create()
    heat = AttentionHeatmapView(ctx)
    qtbot.addWidget(heat)
    heat.show()
    ctx.session.set_model("wav2vec-mini")
    ctx.session.add_input(InputItem(kind="audio", name="w.wav", record=audio(tone_word(300.0, 1, 1.0), "w.wav")))
    qtbot.waitUntil(lambda: heat.record is not None, timeout=60_000)
    enc = heat.record.stacks[0]
    assert enc.name == "encoder" and enc.weights.shape[2:] == (49, 49) and enc.tokens_q[0].endswith(" s")
    assert heat.heatmap.data().shape == (49, 49)
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)
