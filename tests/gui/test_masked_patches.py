"""The Masked patches view: the four MAE panels and the error map are the Reconstruction's, the
mask-ratio slider and clicks change the mask and redraw, held-out digits work, a training run's
checkpoint replaces the model, and the view state goes round."""
import json

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from mlsp_gui.context import AppContext
from mlsp_gui.views._vision_model import image_to_rgb
from mlsp_gui.views.masked_patches import MaskedPatchesView
from tests.engine.vision_tiny import image, tiny_model


@pytest.fixture
def view(qtbot):
    ctx = AppContext.create()
    v = MaskedPatchesView(ctx)
    qtbot.addWidget(v)
    v.resize(1100, 420)
    yield v
    ctx.jobs.wait(10_000)


def test_panels_slider_clicks_and_state(qtbot, view, tmp_path):
    view.set_model(tiny_model("vit-mae"))
    view.set_image(image(40, 30))
    qtbot.waitUntil(lambda: view.record is not None, timeout=20_000)
    r = view.record
    assert r.mask.sum() == 48
    np.testing.assert_array_equal(view.items[0].image, image_to_rgb(r.original))
    np.testing.assert_array_equal(view.items[3].image, image_to_rgb(r.pasted))
    assert view.items[4].image.shape == (32, 32) and "masked-patch MSE" in view.status.text()
    view.ratio.setValue(50)
    qtbot.waitUntil(lambda: view.record.mask.sum() == 32, timeout=20_000)
    before = view.record.mask.copy()
    row, col = np.argwhere(before)[0]
    view.toggle_patch(int(row), int(col))
    qtbot.waitUntil(lambda: view.record.mask.sum() == 31, timeout=20_000)
    assert not view.record.mask[row, col]
    view.new_random_mask()
    qtbot.waitUntil(lambda: not np.array_equal(view.record.mask, before) and view.record.mask.sum() == 32, timeout=20_000)
    state = view.view_state()
    assert json.loads(json.dumps(state)) == state and state["ratio"] == 50
    view.restore_state({"source": "digit", "digit": 7, "ratio": "junk"})
    qtbot.waitUntil(lambda: "digit 7" in (view.image.name if view.image is not None else ""), timeout=20_000)
    qtbot.waitUntil(lambda: view.record is not None and view.record.original.mean() < 0.4, timeout=20_000)
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "masked_patches.png"))


def test_a_checkpoint_replaces_the_model(qtbot, view, tmp_path):
    view.set_model(tiny_model("vit-mae", seed=0))
    view.set_image(image())
    qtbot.waitUntil(lambda: view.record is not None, timeout=20_000)
    first = view.record.reconstruction.copy()
    other = tiny_model("vit-mae", seed=5)
    run = tmp_path / "run"
    ckpt = run / "checkpoints" / "step-00000010"
    ckpt.mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"model": "vit-mae"}))
    save_file({k: v.contiguous() for k, v in other.net.state_dict().items()}, str(ckpt / "model.safetensors"))
    (ckpt / "meta.json").write_text(json.dumps(other.meta))
    view.on_checkpoint(str(run), str(ckpt))
    qtbot.waitUntil(lambda: "step-00000010" in view.record.model, timeout=20_000)
    assert not np.allclose(view.record.reconstruction, first)
    assert torch.equal(next(iter(view.model.net.state_dict().values())), next(iter(other.net.state_dict().values())))
