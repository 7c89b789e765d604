"""The foundation commands through real processes: `mlsp doctor`, `mlsp models`, `mlsp embed`
(TSV checked against the probe), and bad input -> one line on stderr with exit code 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from virtual_mic import MIC, virtual_microphone

pytestmark = pytest.mark.e2e

MLSP = shutil.which("mlsp")


def _env(tmp_path: Path, **extra: str) -> dict:
    env = dict(os.environ, MLSP_HOME=str(tmp_path / "home"), MLSP_RUNS=str(tmp_path / "runs"),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PULSE_SERVER="unix:/nonexistent/pulse")
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def mlsp(args: list[str], env: dict, engine_only: bool = False, timeout: int = 240) -> subprocess.CompletedProcess:
    """Run the `mlsp` entry point (or `python -m engine.cli`) and capture its output."""
    cmd = [sys.executable, "-m", "engine.cli"] if engine_only or MLSP is None else [MLSP]
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env, timeout=timeout)


def test_doctor_reports_versions_devices_models_and_runs(tmp_path):
    from engine.pretrained.minilm import minilm_folder

    env = _env(tmp_path)
    env.pop("QT_QPA_PLATFORM", None)                         # headless with no platform chosen: still works
    env.pop("DISPLAY", None)
    out = mlsp(["doctor", "--json"], env)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert facts["versions"]["torch"] == metadata.version("torch")
    assert facts["versions"]["transformers"] == metadata.version("transformers")
    assert facts["versions"]["PySide6"] == metadata.version("PySide6")
    cpu = [d for d in facts["devices"] if d["name"] == "cpu"]
    assert cpu and cpu[0]["available"]
    assert {"id": "minilm", "found": True, "folder": str(minilm_folder())} in facts["pretrained"]
    from engine.zoo import get_spec

    assert {"id": "word2vec", "found": True, "folder": str(get_spec("word2vec").weights_path())} in facts["shipped"]
    runs = facts["runs"]
    assert runs["folder"] == str(tmp_path / "runs") and runs["exists"] is False
    assert runs["free_bytes"] > 0
    assert facts["audio_inputs"] == [] and "no audio server" in facts["audio_note"]


def test_engine_cli_doctor_says_audio_was_not_checked(tmp_path, monkeypatch):
    """`python -m engine.cli` has no Qt: the report says audio devices were not checked."""
    from engine.cli.commands import doctor

    monkeypatch.setenv("MLSP_RUNS", str(tmp_path / "runs"))
    monkeypatch.setattr(doctor, "FACT_PROVIDERS", [])
    text = doctor.render(doctor.collect())
    assert "Compute devices (auto picks" in text
    assert "not checked: listing audio devices needs Qt Multimedia" in text
    assert f"Runs folder: {tmp_path / 'runs'} (not created yet)" in text
    out = mlsp(["models"], _env(tmp_path), engine_only=True)
    assert out.returncode == 0 and out.stdout.startswith("ID "), out.stderr


@pytest.fixture
def pulse_server():
    """A private PulseAudio server with one virtual microphone (tests/virtual_mic.py)."""
    with virtual_microphone() as mic:
        yield mic.server


def test_doctor_lists_the_microphone_of_a_real_audio_server(tmp_path, pulse_server):
    out = mlsp(["doctor", "--json"], _env(tmp_path, PULSE_SERVER=pulse_server))
    assert out.returncode == 0, out.stderr
    inputs = json.loads(out.stdout)["audio_inputs"]
    assert [a["id"] for a in inputs] == [MIC] and inputs[0]["default"] is True
    from engine.cli.commands.doctor import render

    assert f"  {inputs[0]['description']}  (default)" in render(json.loads(out.stdout))


def test_models_lists_every_registry_entry(tmp_path):
    from engine.zoo import registry

    out = mlsp(["models", "--json"], _env(tmp_path))
    assert out.returncode == 0, out.stderr
    entries = {e["id"]: e for e in json.loads(out.stdout)}
    assert list(entries) == list(registry())
    for model_id, spec in registry().items():
        assert entries[model_id]["capabilities"] == sorted(c.value for c in spec.capabilities)
        assert entries[model_id]["inputs"] == [k.value for k in spec.inputs]
        assert entries[model_id]["outputs"] == [k.value for k in spec.outputs]
        assert entries[model_id]["modality"] == spec.modality
    assert entries["minilm"]["capabilities"] == ["attention", "embed", "token-states"]
    assert entries["word2vec"]["capabilities"] == ["train", "word-vectors"]
    assert entries["logmel"]["inputs"] == ["audio"] and entries["patches"]["inputs"] == ["image"]
    assert entries["minilm"]["weights_available"] is True and entries["minilm"]["source"] == "pretrained"
    assert entries["hf"]["weights_available"] is None
    table = mlsp(["models"], _env(tmp_path)).stdout.splitlines()
    assert table[0].split()[:5] == ["ID", "INPUTS", "SOURCE", "WEIGHTS", "CAPABILITIES"]
    assert any(line.split()[:5] == ["minilm", "text,text-pair", "pretrained", "packaged", "attention,embed,token-states"]
               for line in table)
    assert entries["word2vec"]["weights_available"] is True and entries["word2vec"]["weights_status"] == "shipped"
    assert any(line.split()[:4] == ["word2vec", "text", "builtin", "shipped"] for line in table)


@pytest.fixture(scope="module")
def minilm_probe():
    from engine.probes.embed import embed
    from engine.zoo import load_model

    model = load_model("minilm", "cpu")
    return lambda texts: embed(model, texts).vectors


def test_embed_writes_projector_tsv_equal_to_the_probe(tmp_path, minilm_probe):
    notes = tmp_path / "notes.txt"
    notes.write_text("Attention weighs the values.\n\n  Word2vec learns from context  \n", encoding="utf-16")
    vectors, labels = tmp_path / "out" / "vectors.tsv", tmp_path / "out" / "metadata.tsv"
    out = mlsp(["embed", "minilm", str(notes), "A pasted sentence.", "--out", str(vectors),
                "--metadata", str(labels), "--device", "cpu"], _env(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"wrote 3 vectors of 384 dimensions to {vectors} and labels to {labels}"
    items = ["Attention weighs the values.", "Word2vec learns from context", "A pasted sentence."]
    rows = vectors.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and all(len(r.split("\t")) == 384 for r in rows)
    np.testing.assert_allclose(np.loadtxt(vectors, delimiter="\t", ndmin=2), minilm_probe(items), atol=1e-6)
    assert labels.read_text(encoding="utf-8").splitlines() == [
        "text\tsource\tline", f"{items[0]}\tnotes.txt\t1", f"{items[1]}\tnotes.txt\t3", f"{items[2]}\targument\t1"]


def test_embed_prints_tsv_or_json_without_out(tmp_path, minilm_probe, capsys):
    """In-process through the same dispatcher: JSON on stdout, one-column metadata without header."""
    from engine.cli import main

    text = "The encoder reads; the decoder writes."
    labels = tmp_path / "labels.tsv"
    assert main(["embed", "minilm", text, "--metadata", str(labels), "--json", "--device", "cpu"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["model"], doc["kind"], doc["count"], doc["dim"], doc["items"]) == ("minilm", "sentence", 1, 384, [text])
    np.testing.assert_allclose(np.array(doc["vectors"]), minilm_probe([text]), atol=1e-6)
    assert labels.read_text(encoding="utf-8") == text + "\n"          # one column: no header row
    assert main(["embed", "minilm", text, "--whole", "--device", "cpu"]) == 0
    printed = np.array([float(x) for x in capsys.readouterr().out.strip().split("\t")])
    np.testing.assert_allclose(printed, minilm_probe([text])[0], atol=1e-6)


def test_embed_logmel_writes_one_row_per_audio_frame(tmp_path):
    import soundfile as sf

    from engine.data.audio import read_audio
    from engine.probes.audio_frames import audio_frames
    from engine.zoo import load_model

    t = np.arange(16000) / 16000
    sf.write(tmp_path / "a.wav", 0.4 * np.sin(2 * np.pi * 300 * t), 16000)
    sf.write(tmp_path / "b.wav", 0.2 * np.sin(2 * np.pi * 2000 * t[:8000]), 8000)          # resampled to 16 kHz
    vectors, labels = tmp_path / "v.tsv", tmp_path / "m.tsv"
    out = mlsp(["embed", "logmel", str(tmp_path / "a.wav"), str(tmp_path / "b.wav"), "--out", str(vectors),
                "--metadata", str(labels)], _env(tmp_path))
    assert out.returncode == 0, out.stderr
    model = load_model("logmel", "cpu")
    ref = [audio_frames(model, read_audio(tmp_path / name)) for name in ("a.wav", "b.wav")]
    expected = np.concatenate([r.vectors for r in ref])
    got = np.loadtxt(vectors, delimiter="\t", ndmin=2)
    assert got.shape == expected.shape == (101 + 101, 40)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    rows = labels.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "label\ttime\tpart\tloudness\tsource" and len(rows) == 1 + 202
    assert rows[1].startswith("a.wav @ 0.00 s\t0.00\t0–10 %") and rows[-1].endswith("\tb.wav")
    bad = mlsp(["embed", "logmel", str(tmp_path / "m.tsv")], _env(tmp_path))
    assert bad.returncode == 2 and "m.tsv is a text file; give an audio file" in bad.stderr


def test_embed_patches_writes_196_rows_per_image(tmp_path):
    from PIL import Image

    from engine.data.image import read_image
    from engine.probes.image_patches import image_patches
    from engine.zoo import load_model

    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (120, 90, 3), dtype=np.uint8)).save(tmp_path / "a.png")
    Image.fromarray(rng.integers(0, 256, (50, 70), dtype=np.uint8), "L").save(tmp_path / "b.png")   # greyscale
    vectors, labels = tmp_path / "v.tsv", tmp_path / "m.tsv"
    out = mlsp(["embed", "patches", str(tmp_path / "a.png"), str(tmp_path / "b.png"), "--out", str(vectors),
                "--metadata", str(labels)], _env(tmp_path))
    assert out.returncode == 0, out.stderr
    model = load_model("patches", "cpu")
    expected = np.concatenate([image_patches(model, read_image(tmp_path / n)).vectors for n in ("a.png", "b.png")])
    got = np.loadtxt(vectors, delimiter="\t", ndmin=2)
    assert got.shape == expected.shape == (392, 768)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    rows = labels.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "label\tbrightness\trow\tcolumn\tsource" and rows[1].startswith("a.png @ r0 c0\t")
    bad = mlsp(["embed", "patches", str(tmp_path / "m.tsv")], _env(tmp_path))
    assert bad.returncode == 2 and "m.tsv is a text file; give an image file" in bad.stderr


@pytest.mark.parametrize("case", ["unknown-model", "missing-file", "binary-file", "audio-for-text",
                                  "missing-hf-folder", "empty-file"])
def test_errors_are_one_line_and_exit_2(tmp_path, case):
    import soundfile as sf

    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    sf.write(tmp_path / "tone.wav", np.zeros(800, np.float32), 8000)
    (tmp_path / "empty.txt").write_bytes(b"")
    args, expected = {
        "unknown-model": (["embed", "nosuchmodel", "hi"], "unknown model 'nosuchmodel'"),
        "missing-file": (["embed", "minilm", str(tmp_path / "gone.txt")], "gone.txt looks like a file name but no"),
        "binary-file": (["embed", "minilm", str(tmp_path / "blob.bin")], "blob.bin is: it is not text (it contains NUL"),
        "audio-for-text": (["embed", "minilm", str(tmp_path / "tone.wav")], "tone.wav is an audio file, but 'minilm'"),
        "missing-hf-folder": (["embed", f"hf:{tmp_path / 'nomodel'}", "hi"], "nomodel' is not a folder"),
        "empty-file": (["embed", "minilm", str(tmp_path / "empty.txt")], "empty.txt is empty (0 bytes)"),
    }[case]
    out = mlsp(args, _env(tmp_path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlsp embed: error: ") and expected in lines[0], out.stderr
