"""Translate and Alignment views: they draw records built from a tiny saved model, a stale
translation never overwrites a newer one, the alignment follows a run's checkpoints, and the
views' state round-trips."""
from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest
import torch

from engine.data.nmt_tokenizers import train_tokenizers
from engine.data.parallel import ParallelPair
from mlsp_gui.context import AppContext

PAIRS = [ParallelPair("i am a student", "je suis étudiant"), ParallelPair("the cat is small", "le chat est petit")]


def save_tiny(folder, family="nmt-transformer", seed=0):
    from safetensors.torch import save_file

    from engine.models.nmt_transformer import NMTTransformer, NMTTransformerConfig

    folder.mkdir(parents=True, exist_ok=True)
    toks = train_tokenizers(PAIRS, "word")
    torch.manual_seed(seed)
    net = NMTTransformer(NMTTransformerConfig(d_model=16, n_heads=2, d_ff=32, enc_layers=1, dec_layers=2, dropout=0.0),
                         toks.src_size, toks.tgt_size)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(folder / "model.safetensors"))
    (folder / "meta.json").write_text(json.dumps({"family": family, "config": asdict(net.cfg)}))
    toks.save(folder)
    return folder


@pytest.fixture
def tiny_model(tmp_path):
    from engine.loaders.translation import load_folder
    from engine.zoo import resolve

    return load_folder(save_tiny(tmp_path / "ckpt"), resolve("nmt-transformer"), torch.device("cpu"))


def test_translate_view_draws_every_beam_and_drops_stale_results(qtbot, tiny_model):
    from engine.probes.translation import translate
    from mlsp_gui.views.translate import TranslateView

    view = TranslateView(AppContext.create())
    qtbot.addWidget(view)
    newer = translate(tiny_model, "the cat is small", beam=3, max_len=4)
    older = translate(tiny_model, "i am a student", beam=3, max_len=4)
    view.requested = 2
    view.show_result(2, newer)
    view.show_result(1, older)                      # an older request answered late: ignored
    assert view.record is newer and view.shown == 2
    assert view.table.rowCount() == len(newer.beams)
    assert view.table.item(0, 1).text() == (newer.best.text or "(empty)")
    import html

    assert all(html.escape(t) in view.chips.text() for t in newer.best.tokens)
    assert f"{newer.best.token_probs[0]:.2f}" in view.chips.text()
    state = view.view_state()
    assert json.loads(json.dumps(state)) == state and state["beam"] == 4
    view.restore_state({"text": "i am small", "beam": 2, "length_penalty": 0.5, "junk": object()})
    assert view.edit.text() == "i am small" and view.beam.value() == 2


def test_translate_view_shows_french_apostrophes_and_unknown_tokens_as_written(qtbot, tiny_model):
    """The big line is plain text: "qu'ils" is not shown as "qu&#x27;ils", "<unk>" is not eaten as a tag."""
    from dataclasses import replace

    from engine.probes.translation import translate
    from mlsp_gui.views.translate import TranslateView

    view = TranslateView(AppContext.create())
    qtbot.addWidget(view)
    record = translate(tiny_model, "i am a student", beam=2, max_len=4)
    text = "parce qu'ils ont <unk> l'autobus & le train"
    record = replace(record, beams=[replace(record.beams[0], text=text), *record.beams[1:]])
    view.show_record(record)
    assert view.best.text() == text
    assert view.table.item(0, 1).text() == text


def test_translate_view_translates_as_you_type(qtbot, tiny_model):
    from mlsp_gui.views.translate import TranslateView

    ctx = AppContext.create()
    view = TranslateView(ctx)
    qtbot.addWidget(view)
    view.bar._ready(("tiny", "cpu", ""), tiny_model)
    qtbot.waitUntil(lambda: view.record is not None, timeout=20000)
    view.edit.setText("the cat")
    view.edit.setText("the cat is small")
    qtbot.waitUntil(lambda: view.record is not None and view.record.source == "the cat is small", timeout=20000)
    qtbot.wait(300)
    assert view.record.source == "the cat is small"
    ctx.jobs.cancel_all()
    ctx.jobs.wait(5000)


def test_alignment_view_draws_cross_and_decoder_attention(qtbot, tiny_model, tmp_path):
    from mlsp_gui.views.alignment import AlignmentView, _align

    view = AlignmentView(AppContext.create())
    qtbot.addWidget(view)
    record = _align(None, tiny_model, "i am a student")
    view.show_record(record)
    best = record.translation.best
    rows, cols = view.cross.labels()
    assert rows == best.tokens and cols == ["i", "am", "a", "student", "</s>"]
    np.testing.assert_allclose(view.cross.data(), best.cross_attention.mean(axis=(0, 1)), atol=1e-6)
    view.restore_state({"layer": 1, "head": 0})
    np.testing.assert_allclose(view.cross.data(), best.cross_attention[1, 0], atol=1e-6)
    if record.decoder is not None:
        assert view.selfmap.data().shape == (len(record.decoder.tokens_q),) * 2
    assert "→" in view.cross.describe(0, 0)
    view.resize(1100, 500)
    view.show()
    qtbot.wait(50)
    assert not view.grab().isNull()


def test_alignment_redraws_at_each_checkpoint_of_a_followed_run(qtbot, tmp_path):
    """A run opened in views: each checkpoint the session announces is loaded and the alignment redrawn."""
    from mlsp_gui.views.alignment import AlignmentView

    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"model": "nmt-transformer", "task": {}}))
    ckpts = [save_tiny(run / "checkpoints" / f"step-0000000{i}", seed=i) for i in (1, 2)]
    ctx = AppContext.create()
    ctx.session.set_model(str(run))
    view = AlignmentView(ctx)
    qtbot.addWidget(view)
    view.show()
    assert view.bar.ref() == str(run)
    drawn = []
    for ck in ckpts:
        ctx.session.set_checkpoint(str(run), str(ck))
        qtbot.waitUntil(lambda ck=ck: view.record is not None and view.record.step == int(ck.name[5:]), timeout=30000)
        drawn.append(view.cross.data().copy())
    assert view.redraws >= 2
    assert not np.allclose(drawn[0], drawn[1]) or drawn[0].shape != drawn[1].shape   # other weights, other map
    ctx.jobs.cancel_all()
    ctx.jobs.wait(5000)


def test_compare_and_quality_views_draw_their_records(qtbot, tiny_model):
    from engine.data.parallel import ParallelCorpus
    from engine.probes.translation import translate, translation_quality
    from mlsp_gui.views.translation_compare import CompareView
    from mlsp_gui.views.translation_quality import QualityView

    ctx = AppContext.create()
    compare = CompareView(ctx)
    qtbot.addWidget(compare)
    t = translate(tiny_model, "i am a student", beam=2, max_len=4)
    compare.show_record([("tiny", t, ""), ("broken", None, "no such model")])
    assert not compare.panels[0][0].isHidden() and "tiny" in compare.panels[0][0].text()
    assert "no such model" in compare.panels[1][0].text() and compare.panels[2][0].isHidden()

    quality = QualityView(ctx)
    qtbot.addWidget(quality)
    corpus = ParallelCorpus("tiny", train=(), valid=(), test=tuple(PAIRS))
    q = translation_quality(tiny_model, corpus, "test")
    quality.show_record({"tiny": q, "broken": "no such model"})
    assert quality.table.rowCount() == 2 and quality.table.item(0, 1).text() == f"{q.bleu:.2f}"
    assert quality.worst.count() == len(PAIRS)
    quality.loaded["tiny"] = tiny_model
    quality.worst.setCurrentRow(0)
    qtbot.waitUntil(lambda: quality.heat.data().size > 0, timeout=20000)
    state = quality.view_state()
    assert json.loads(json.dumps(state)) == state
    ctx.jobs.cancel_all()
    ctx.jobs.wait(5000)


def test_the_attention_heatmap_shows_a_translation_models_three_stacks(qtbot, tiny_model):
    from engine.probes.attention import attention
    from engine.records.inputs import SourceTarget
    from mlsp_gui.views.attention_heatmap import AttentionHeatmapView

    view = AttentionHeatmapView(AppContext.create())
    qtbot.addWidget(view)
    maps = attention(tiny_model, SourceTarget("i am a student", "je suis étudiant"))
    view.show_record(maps)
    assert view.stack_combo.count() == 3
    view.stack_combo.setCurrentIndex(2)                       # cross-attention: target x source
    rows, cols = view.heatmap.labels()
    assert rows == ["<s>", "je", "suis", "étudiant"] and cols == ["i", "am", "a", "student", "</s>"]
