"""The Compare view draws a Comparison: the table holds mean ± spread per model and label count,
the plot one curve per model; the probes run through a job on real (tiny) models."""
import numpy as np
import pytest

from engine.probes.compare import Comparison, compare
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
