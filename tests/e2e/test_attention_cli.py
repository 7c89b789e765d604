"""`mlsp attention` as a real process: the NPZ matches `transformers` (BertModel, eager,
output_attentions=True) on the packaged MiniLM, the PNG is a real heatmap, --json describes the
result, a text file works as INPUT, and bad options give one line on stderr with exit code 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

pytestmark = pytest.mark.e2e

MLSP = shutil.which("mlsp")
TEXT = "Thinking machines attend to every word of the sentence."


def mlsp(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "engine.cli"]
    env = dict(os.environ, MLSP_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)


def test_npz_png_and_json_match_transformers(tmp_path):
    from PIL import Image
    from transformers import AutoTokenizer, BertModel

    from engine.pretrained.minilm import minilm_folder

    out = mlsp(["attention", "minilm", TEXT, "--out", "a.npz", "--png", "h.png", "--layer", "2", "--head", "5",
                "--json", "--device", "cpu"], tmp_path)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    folder = str(minilm_folder())
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    hf = BertModel.from_pretrained(folder, local_files_only=True, attn_implementation="eager").eval()
    enc = tok(TEXT, return_tensors="pt")
    with torch.inference_mode():
        ref = torch.stack(hf(**enc, output_attentions=True).attentions)[:, 0].numpy()
    tokens = tok.convert_ids_to_tokens(enc["input_ids"][0])
    assert doc["tokens"] == tokens and doc["shape"] == list(ref.shape)
    assert doc["block_kinds"] == ["encoder-self"] * 6 and doc["truncated"] is False

    data = np.load(tmp_path / "a.npz")
    assert data["weights"].dtype == np.float32 and data["weights"].shape == ref.shape
    assert np.abs(data["weights"] - ref).max() < 1e-5
    assert list(data["tokens"]) == tokens == list(data["tokens_k"])
    assert int(data["step_layer"]) == 2 and int(data["step_head"]) == 5
    assert np.abs(data["step_weights"] - ref[2, 5]).max() < 1e-5

    img = np.asarray(Image.open(tmp_path / "h.png").convert("RGB"))
    assert img.shape[0] > 200 and img.shape[1] > 200
    # the heatmap's brightest cell is viridis yellow; most of the map is dark purple
    yellow = (img[..., 0] > 200) & (img[..., 1] > 200) & (img[..., 2] < 100)
    purple = (img[..., 0] < 90) & (img[..., 1] < 40) & (img[..., 2] > 60)
    assert yellow.sum() > 100 and purple.sum() > 1000


def test_file_input_pair_and_errors(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text("The cat sat on the mat.\n", encoding="utf-8")
    out = mlsp(["attention", "minilm", "a.txt", "--pair", "It was tired.", "--json", "--device", "cpu"], tmp_path)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["tokens"][:3] == ["[CLS]", "the", "cat"] and "tired" in doc["tokens"]
    assert doc["segments"][0] == 0 and doc["segments"][-1] == 1

    from engine.cli import main  # the same dispatcher, in this process (no second torch import)

    monkeypatch.chdir(tmp_path)
    assert main(["attention", "minilm", TEXT, "--layer", "9", "--png", "x.png", "--device", "cpu"]) == 2
    bad = capsys.readouterr()
    assert bad.out == "" and bad.err.strip().count("\n") == 0 and "--layer 9 does not exist" in bad.err
    assert not (tmp_path / "x.png").exists()

    assert main(["attention", "minilm", TEXT, "--png", "heat", "--device", "cpu"]) == 0
    assert (tmp_path / "heat.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and not (tmp_path / "heat").exists()
    assert main(["attention", "minilm", TEXT, "--png", "heat.jpg", "--device", "cpu"]) == 2
    assert "give a name ending in .png" in capsys.readouterr().err and not (tmp_path / "heat.jpg").exists()
