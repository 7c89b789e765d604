"""Where the LSTM listens: a_t drawn under the spectrogram on the same time axis, the probability
bars of the words, the model's numbers those of `classify_audio`, following a run's checkpoints,
and bad audio said in the status line."""
from __future__ import annotations

import numpy as np
import pytest
from audio_words import RATE, tiny_lstm_run, tone_word

from engine.records.inputs import AudioInput
from mlsp_gui.context import AppContext
from mlsp_gui.session import InputItem
from mlsp_gui.views.lstm_listens import LstmListensView


def audio(x, name="word.wav") -> AudioInput:
    x = np.asarray(x, np.float32)
    return AudioInput(None, name, x, RATE, len(x) / RATE, RATE, 1, False, "")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return tiny_lstm_run(tmp_path_factory.mktemp("listen"))


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = LstmListensView(ctx)
    qtbot.addWidget(v)
    v.resize(1100, 650)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def listened(qtbot, view):
    qtbot.waitUntil(lambda: not view.slots.running(), timeout=60_000)
    return view.record


def test_attention_under_the_spectrogram_and_the_probability_bars(qtbot, view, run_dir, tmp_path):
    import torch

    from engine.probes.classify_audio import classify_audio
    from engine.zoo import load_model

    view.ctx.session.set_model(str(run_dir))
    clip = np.concatenate([np.zeros(4000), tone_word(2000.0, 5, 0.5), np.zeros(4000)])
    view.ctx.session.add_input(InputItem(kind="audio", name="word.wav", record=audio(clip)))
    rec = listened(qtbot, view)
    assert rec is not None, view.status.text()
    expected = classify_audio(load_model(str(run_dir), "cpu"), audio(clip))
    np.testing.assert_allclose(rec.prediction.probs, expected.probs, atol=1e-5)
    np.testing.assert_allclose(view.attn_curve.getData()[1], expected.attention, atol=1e-6)
    np.testing.assert_allclose(view.attn_curve.getData()[0], expected.times)
    # the strip and the spectrogram span the same seconds (one time axis)
    spec_rect, strip_rect = view.image.mapRectToParent(view.image.boundingRect()), view.strip.mapRectToParent(
        view.strip.boundingRect())
    assert abs(spec_rect.left() - strip_rect.left()) < 0.011 and abs(spec_rect.right() - strip_rect.right()) < 0.011
    assert abs(spec_rect.width() - len(clip) / RATE) < 0.02
    assert view.spec_plot.getViewBox().viewRange()[0] == view.attn_plot.getViewBox().viewRange()[0]
    bars = view.bars.opts
    assert len(bars["width"]) == 2 and abs(max(bars["width"]) - expected.probability) < 1e-6
    assert expected.label in view.word_label.text() and "Σ a_t = 1.000" in view.status.text()
    assert rec.source.endswith("step-00000006")
    view.grab().save(str(tmp_path / "listens.png"))
    del torch


def test_it_follows_checkpoints_and_says_what_is_wrong(qtbot, view, run_dir):
    from engine.training.runs import list_checkpoints

    view.ctx.session.set_model(str(run_dir))
    view.ctx.session.add_input(InputItem(kind="audio", name="low.wav", record=audio(tone_word(300.0, 3), "low.wav")))
    newest = listened(qtbot, view)
    first = str(list_checkpoints(run_dir)[0].path)
    view.ctx.session.set_checkpoint(str(run_dir), first)
    qtbot.waitUntil(lambda: view.record is not newest and not view.slots.running(), timeout=60_000)
    assert view.record.source.startswith(first) and "step-00000003" in view.model_label.text()
    assert not np.allclose(view.record.prediction.probs, newest.prediction.probs)
    view.ctx.session.add_input(InputItem(kind="audio", name="quiet.wav", record=audio(np.zeros(RATE), "quiet.wav")))
    qtbot.waitUntil(lambda: "digital silence" in view.status.text(), timeout=60_000)
    assert view.record.audio.name == "low.wav"                    # the last good drawing stays


def test_state_round_trip(view):
    view.restore_state({"top": 5, "junk": 1})
    assert view.view_state() == {"top": 5}
    view.restore_state({"top": "many"})
    assert view.view_state() == {"top": 5}
