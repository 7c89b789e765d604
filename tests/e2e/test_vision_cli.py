"""The vision commands through real processes: train a tiny vit-mae, export it, then `mlsp
reconstruct` (JSON and the four-panel PNG), `mlsp probe`, `mlsp attention` with the patch grid, and
bad images (1 × 1, a 20,000 × 100 panorama, an animated GIF, a text file) each with a clear message."""
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e
MLSP = shutil.which("mlsp")
TINY = ["--set", "d_model=16", "--set", "n_layers=1", "--set", "n_heads=2", "--set", "d_ff=32",
        "--set", "dec_d_model=16", "--set", "dec_d_ff=16", "--set", "dec_heads=2"]


def mlsp(args, timeout=240):
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    return subprocess.run(cmd + args, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from engine.loaders.vision import export

    root = tmp_path_factory.mktemp("vision")
    out = mlsp(["train", "vit-mae", "--steps", "2", "--batch-size", "8", "--out", str(root / "run")] + TINY)
    assert out.returncode == 0, out.stderr
    export(root / "run", root / "exported")
    meta = json.loads((root / "exported" / "meta.json").read_text())
    assert meta["family"] == "vit-mae" and meta["config"]["d_model"] == 16
    (root / "mae").symlink_to(root / "run")
    return root


def test_an_exported_folder_loads_as_the_run_does(exported):
    import torch

    from engine.contract.spec import ModelRef
    from engine.loaders.vision import load_vision
    from engine.zoo import get_spec, resolve

    run = load_vision(resolve(str(exported / "run")), torch.device("cpu"))
    shipped = load_vision(ModelRef(get_spec("vit-mae"), exported / "exported", "exported"), torch.device("cpu"))
    for (name, a), (_, b) in zip(run.net.state_dict().items(), shipped.net.state_dict().items()):
        assert torch.allclose(a, b, atol=2e-3 * (1 + a.abs().max())), name       # float16 export


def test_reconstruct_json_png_probe_and_attention(exported):
    root = exported
    Image.fromarray((np.random.RandomState(0).rand(48, 40, 3) * 255).astype(np.uint8)).save(root / "photo.png")
    out = mlsp(["reconstruct", str(root / "mae"), str(root / "photo.png"), "--mask-ratio", "0.5", "--seed", "2",
                "--out", str(root / "fig.png"), "--json"])
    assert out.returncode == 0, out.stderr
    js = json.loads(out.stdout)
    mask = np.array(js["mask"])
    assert mask.shape == (8, 8) and mask.sum() == 32
    assert js["mse_masked"] > 0 and js["baseline_mse_masked"] > 0
    assert Image.open(root / "fig.png").size[0] > 4 * Image.open(root / "fig.png").size[1] - 200
    probe = mlsp(["probe", str(root / "mae"), "--data", "builtin:digits", "--labels", "5", "--json"])
    assert probe.returncode == 0, probe.stderr
    pj = json.loads(probe.stdout)
    assert pj["labels"] == 5 and 0.0 <= pj["accuracy"] <= 1.0 and pj["train_items"] == 50
    att = mlsp(["attention", str(root / "mae"), str(root / "photo.png"), "--out", str(root / "a.npz")])
    assert att.returncode == 0, att.stderr
    data = np.load(root / "a.npz")
    assert data["tokens_grid"].tolist() == [8, 8] and data["weights"].shape[-1] == 65


def test_bad_images_say_what_is_wrong(exported, tmp_path):
    root = exported
    Image.new("RGB", (1, 1), (200, 10, 10)).save(tmp_path / "dot.png")
    Image.new("L", (20000, 100), 128).save(tmp_path / "pano.png")
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 255, 0))]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    (tmp_path / "notes.png").write_text("this is text, not a picture")
    model = str(root / "mae")
    dot = mlsp(["reconstruct", model, str(tmp_path / "dot.png"), "--json"])
    assert dot.returncode == 0 and "1×1 image" in dot.stderr and json.loads(dot.stdout)["baseline_mse_masked"] < 1e-6
    pano = mlsp(["reconstruct", model, str(tmp_path / "pano.png"), "--json"])
    assert pano.returncode == 0 and "20000×100" in pano.stderr and "squeezed" in pano.stderr
    gif = mlsp(["reconstruct", model, str(tmp_path / "anim.gif"), "--json"])
    assert gif.returncode == 0 and "first of 2 frames" in gif.stderr
    text = mlsp(["reconstruct", model, str(tmp_path / "notes.png")])
    assert text.returncode == 2 and "notes.png" in text.stderr and "Traceback" not in text.stderr
    ratio = mlsp(["reconstruct", model, str(tmp_path / "dot.png"), "--mask-ratio", "1.5"])
    assert ratio.returncode == 2 and "--mask-ratio" in ratio.stderr
    unlabelled = tmp_path / "flat"
    unlabelled.mkdir()
    for i in range(5):
        Image.new("RGB", (8, 8), (i * 40, 0, 0)).save(unlabelled / f"{i}.png")
    probe = mlsp(["probe", model, "--data", str(unlabelled)])
    assert probe.returncode == 2 and "unlabelled" in probe.stderr
