"""The Compare view draws a Comparison: the table holds mean ± spread per model and label count,
the plot one curve per model; the probes run through a job on real (tiny) models; the Linear probe |
Fine-tune switch shows either table (screenshots of both at 1280 × 720)."""
import os

import numpy as np
import pytest

from engine.probes.compare import Comparison, compare
from engine.records.comparison import FINE_TUNE, LINEAR_PROBE
from mlsp_gui.context import AppContext
from mlsp_gui.views.vision_compare import VisionCompareView
from tests.engine.vision_tiny import tiny_model


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = VisionCompareView(ctx)
    qtbot.addWidget(v)
    v.resize(1000, 420)
    yield v
    ctx.jobs.wait(10_000)


def test_table_and_curves(qtbot, view, tmp_path):
    acc = np.array([[[0.3, 0.4], [0.6, 0.62]], [[0.5, 0.52], [0.9, 0.94]]])
    view.show_record(Comparison(models=["random init", "SimCLR"], labels=[1, 10], seeds=[0, 1], accuracy=acc,
                                data="builtin:digits"))
    assert view.table.rowCount() == 2 and view.table.columnCount() == 2
    assert view.table.item(1, 1).text() == "92.0 ± 2.0"
    curves = view.plot_widget.getPlotItem().listDataItems()
    assert len(curves) == 2 and np.allclose(curves[1].yData, [51, 92])
    table = view.export_table()
    assert table.header == ["model", "labels_per_class", "mean", "std"] and len(table.rows) == 4
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "compare.png"))


def test_compare_on_tiny_models_by_hand_check():
    models = [("a", tiny_model("vit", seed=0)), ("b", tiny_model("vit", seed=1))]
    table = compare(models, "builtin:digits", labels=(2,), seeds=(0, 1))
    assert table.accuracy.shape == (2, 1, 2) and np.all((table.accuracy > 0.1) & (table.accuracy <= 1))
    js = table.to_json()
    assert set(js["models"]) == {"a", "b"} and js["models"]["a"]["2"]["mean"] == pytest.approx(table.accuracy[0, 0].mean())


MODELS = ["random init", "RotNet", "SimCLR", "DeepCluster", "MAE", "supervised ViT"]


def table(method, labels, seed=0):
    rng = np.random.default_rng(seed)
    base = np.linspace(0.3, 0.9, len(MODELS))[:, None, None] + 0.1 * np.log10(labels)[None, :, None]
    acc = np.clip(base + rng.normal(0, 0.02, (len(MODELS), len(labels), 3)), 0, 1)
    settings = {"steps": 40, "batch_size": 32, "lr": 2e-4, "head_lr": 1e-2} if method == FINE_TUNE else {}
    return Comparison(models=MODELS, labels=list(labels), seeds=[0, 1, 2], accuracy=acc, data="builtin:digits",
                      method=method, settings=settings, seconds=95.0 if settings else 0.0)


def test_the_switch_shows_the_probe_or_the_finetune_table(qtbot, view):
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    assert view.run_button.text() == "Run the linear probes"
    view.show_record(table(FINE_TUNE, [1, 10, 100]))                    # a finished fine-tune shows itself
    assert view.method == FINE_TUNE and view.run_button.text() == "Run the fine-tunes"
    assert view.table.columnCount() == 3 and view.table.horizontalHeaderItem(2).text() == "100/class"
    assert "fine-tune of the whole ViT" in view.status.text() and "40 steps" in view.status.text()
    assert len(view.plot_widget.getPlotItem().listDataItems()) == 6
    view.grab().save(os.environ.get("MLSP_SHOT_FINETUNE", "/tmp/vision_compare_finetune.png"))
    view.show_record(table(LINEAR_PROBE, [1, 5, 10, 50, 100], seed=1))
    assert view.method == LINEAR_PROBE and view.table.columnCount() == 5
    view.grab().save(os.environ.get("MLSP_SHOT_PROBE", "/tmp/vision_compare_probe.png"))
    fine = next(b for b in view.switch.buttons() if b.property("method") == FINE_TUNE)
    fine.click()
    assert fine.isChecked() and view.record.method == FINE_TUNE and view.table.columnCount() == 3
    rows = view.export_table().rows
    assert len(rows) == 6 * 3 and rows[0][:2] == ["random init", 1]


def test_an_empty_side_says_what_run_does(qtbot, view):
    view.set_method(FINE_TUNE)
    assert view.record is None and view.table.rowCount() == 0
    assert "1, 10 and 100 labelled digits per class" in view.status.text()
    assert not view.plot_widget.getPlotItem().listDataItems()


def test_the_chosen_side_is_part_of_the_view_state(view):
    import json

    assert view.view_state() == {"method": LINEAR_PROBE}
    view.restore_state({"method": FINE_TUNE})
    assert view.method == FINE_TUNE and view.run_button.text() == "Run the fine-tunes"
    assert json.loads(json.dumps(view.view_state())) == {"method": FINE_TUNE}
    view.restore_state({"method": "nonsense", "junk": object()})      # ignored
    assert view.method == FINE_TUNE
    checked = [b.property("method") for b in view.switch.buttons() if b.isChecked()]
    assert checked == [FINE_TUNE]
