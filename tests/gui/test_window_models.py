"""The Model dock and the Models menu: registry, devices, checkpoints (good, damaged, pickled code)."""
import os
import pickle
import platform
from importlib import metadata

import numpy as np
import PySide6
from PySide6.QtWidgets import QFileDialog
from window_support import jobs_named, wait_jobs

from engine.contract.capabilities import Capability


def test_model_dock_lists_the_registry_and_the_devices(make_main_window, qtbot):
    import torch

    from engine.zoo import registry

    window = make_main_window()
    qtbot.waitUntil(lambda: window.devices is not None and bool(window.model_dock.specs), timeout=60000)
    dock = window.model_dock
    ids = [dock.tree.topLevelItem(i).text(0) for i in range(dock.tree.topLevelItemCount())]
    assert ids == list(registry())
    minilm_row = dock.tree.topLevelItem(ids.index("minilm"))
    assert minilm_row.text(1) == "packaged" and "embed" in minilm_row.text(2)
    assert set(window.menus.model_actions) == {s.id for s in registry().values() if s.source != "folder"}
    enabled = dock.available_devices()
    assert enabled[:2] == ["auto", "cpu"]
    cuda = [f"cuda:{i}" for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    assert [d for d in enabled if d.startswith("cuda")] == cuda
    assert ("mps" in enabled) == bool(torch.backends.mps.is_available())
    dock.tree.setCurrentItem(minilm_row)
    assert window.ctx.session.model == "minilm" and window.settings.model == "minilm"
    dock.device_combo.setCurrentIndex(dock.device_combo.findData("cpu"))
    assert window.ctx.session.device == "cpu" and window.settings.device == "cpu"


def _saved_weights(model, path, scale=None):
    from safetensors.torch import save_file

    from engine.checkpoints_io import find_module

    state = {k: v.detach().clone() for k, v in find_module(model)[1].state_dict().items()}
    if scale is not None:
        name = max(state, key=lambda k: state[k].numel())
        state[name] = state[name] * scale
    save_file(state, str(path))
    return path


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_checkpoints_load_or_fail_leaving_the_model_in_place(make_main_window, app_dirs, qtbot, monkeypatch):
    from engine.probes.embed import embed

    window = make_main_window()
    window.ctx.session.set_model("minilm")
    window.ctx.session.set_device("cpu")
    store = window.ctx.models
    window.model_dock.load_button.click()
    qtbot.waitUntil(lambda: store.cached("minilm", "cpu") is not None, timeout=120000)
    original = store.cached("minilm", "cpu")
    sentence = ["a checkpoint changes the numbers"]

    good = _saved_weights(original, app_dirs.files / "half.safetensors", scale=0.5)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    window.menus.actions["load_checkpoint"].trigger()
    qtbot.waitUntil(lambda: store.cached("minilm", "cpu") is not original, timeout=60000)
    tuned = store.cached("minilm", "cpu")
    assert tuned.source == str(good)
    assert not np.allclose(embed(tuned, sentence).vectors, embed(original, sentence).vectors, atol=1e-3)
    assert "half.safetensors" in window.model_dock.status.text()

    data = good.read_bytes()
    truncated = app_dirs.files / "cut.safetensors"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    marker = app_dirs.files / "it-ran"
    evil = app_dirs.files / "evil.pt"
    evil.write_bytes(pickle.dumps(_RunsCode(marker)))
    for bad, words in ((truncated, "truncated"), (evil, "refused")):
        window.load_checkpoint(str(bad))
        wait_jobs(qtbot, window)
        [job] = jobs_named(window, f"Load checkpoint {bad.name}")
        assert job.status == "failed" and words in job.error and bad.name in job.error
        assert store.cached("minilm", "cpu") is tuned                   # the loaded model stays
        assert "stays in use" in window.model_dock.status.text()
        assert any(words in m for m in window.notices.messages())
    assert not marker.exists()


def test_about_dialog_lists_versions_without_importing_torch_for_it(make_main_window, qtbot):
    from mlsp_gui.dialogs.about import AboutDialog

    window = make_main_window()
    qtbot.waitUntil(lambda: window.devices is not None, timeout=60000)
    window.menus.actions["about"].trigger()
    dialog = window.findChild(AboutDialog)
    text = dialog.label.text()
    for expected in (platform.python_version(), PySide6.__version__, metadata.version("torch"), "cpu: CPU"):
        assert expected in text
    dialog.reject()


def test_huggingface_folder_loads_and_a_bad_folder_fails_cleanly(make_main_window, app_dirs, qtbot, monkeypatch):
    from engine.pretrained.minilm import minilm_folder

    window = make_main_window()
    window.ctx.session.set_device("cpu")
    not_a_model = app_dirs.files / "empty-folder"
    not_a_model.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(not_a_model))
    window.menus.actions["load_hf"].trigger()
    wait_jobs(qtbot, window)
    [job] = jobs_named(window, "Load model hf:")
    assert job.status == "failed" and "config.json" in job.error
    assert window.isVisible()

    folder = minilm_folder()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    window.menus.actions["load_hf"].trigger()
    ref = f"hf:{folder}"
    qtbot.waitUntil(lambda: window.ctx.models.cached(ref, "cpu") is not None, timeout=120000)
    assert window.ctx.session.model == ref
    assert window.model_dock.tree.topLevelItem(0).text(0) == folder.name
    assert window.ctx.models.cached(ref, "cpu").can(Capability.EMBED)
