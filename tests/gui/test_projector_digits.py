"""The projector's "Held-out digits" source: N held-out digits through a shipped vision model, one
point per digit coloured by its digit, searchable by "digit 7"; the window's vision model is chosen
for it; a screenshot at 1280 × 720."""
import os

import pytest
from PySide6.QtWidgets import QApplication

from engine.data.image_sets import digits
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(v)
    v.resize(1280, 720)
    v.show()
    qtbot.waitExposed(v)
    yield v
    ctx.jobs.cancel_all()
    ctx.jobs.wait(10_000)


def load(qtbot, view, model: str, limit: int, patches: int = 0) -> None:
    bar = view.source_bar
    bar.source.setCurrentIndex(bar.source.findData("digits"))
    bar.model.setCurrentText(model)
    bar.option_spins["limit"].setValue(limit)
    bar.option_spins["patches"].setValue(patches)
    bar.load_button.click()
    qtbot.waitUntil(lambda: view.fetched_from == ("digits", model) and view.proj is not None and not view.busy(),
                    timeout=60_000)
    QApplication.processEvents()


def test_one_point_per_digit_coloured_by_its_digit(qtbot, view):
    load(qtbot, view, "simclr", 60)
    test = digits("test")
    emb = view.emb
    assert len(emb.labels) == 60 and emb.vectors.shape == (60, 64)
    index = [int(lab.split("#")[1]) for lab in emb.labels]
    assert emb.metadata["digit"] == [str(test.labels[i]) for i in index]         # each point its own digit
    assert sorted(set(emb.metadata["digit"])) == [str(d) for d in range(10)]
    assert view.color_combo.currentData() == "digit" and view.coloring.column == "digit"
    view.state.set_search("digit 7")
    qtbot.waitUntil(lambda: len(view.matches) == 6, timeout=5_000)
    assert all(emb.metadata["digit"][i] == "7" for i in view.matches)
    view.state.set_search("")
    qtbot.waitUntil(lambda: view.match_label.text() == "", timeout=5_000)
    view.grab().save(os.environ.get("MLSP_SHOT", "/tmp/projector_digits.png"))


def test_patch_points_and_the_window_model(qtbot, view):
    view.ctx.session.set_model("rotnet")
    view.source_bar.source.setCurrentIndex(view.source_bar.source.findData("digits"))
    assert view.source_bar.model.currentText() == "rotnet"          # any vision model, not only the default vit
    load(qtbot, view, "rotnet", 10, patches=1)
    assert len(view.emb.labels) == 10 * 64 and view.emb.kind == "image-patch"
    assert view.coloring.column == "digit" and set(view.emb.metadata["digit"]) == set("0123456789")
    view.grab().save(os.environ.get("MLSP_SHOT_PATCHES", "/tmp/projector_digit_patches.png"))
