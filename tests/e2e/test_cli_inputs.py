"""The INPUT convention, the same in every command that takes one (attention, attention-summary,
embed): an existing text file wins; a lone word that looks like a file name but names no file is
refused before any model loads; a file of another kind is refused by name; a folder's name is
text. And loading a model through `transformers` prints nothing on stderr (no progress bars)."""
from __future__ import annotations

import numpy as np
import pytest

COMMANDS = ["attention", "attention-summary", "embed"]


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    from engine.cli import main

    rc = main(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file_name_is_refused_by_every_command(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rc, out, err = _run([command, "minilm", "notes.txt", "--device", "cpu"], capsys)
    assert rc == 2 and out == ""
    assert err.splitlines() == [f"mlsp {command}: error: INPUT notes.txt looks like a file name but no such file "
                                "exists; check the path (or put the text in a file)."]


@pytest.mark.parametrize("command", ["attention", "attention-summary"])
def test_pair_follows_the_same_rule(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rc, out, err = _run([command, "minilm", "The cat sat.", "--pair", "b.txt", "--device", "cpu"], capsys)
    assert rc == 2 and out == "" and len(err.splitlines()) == 1
    assert "--pair b.txt looks like a file name but no such file exists" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_audio_file_is_refused_by_name(command, tmp_path, capsys):
    import soundfile as sf

    wav = tmp_path / "tone.wav"
    sf.write(wav, np.zeros(800, np.float32), 8000)
    rc, out, err = _run([command, "minilm", str(wav), "--device", "cpu"], capsys)
    assert rc == 2 and out == ""
    assert err.splitlines() == [f"mlsp {command}: error: {wav} is an audio file, but 'minilm' reads text; give a "
                                "text or a text file as INPUT."]


def test_existing_file_wins_and_folder_name_is_text(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("Paris is the capital of France.\n", encoding="utf-8")
    (tmp_path / "hello").mkdir()
    rc, out, _ = _run(["attention", "minilm", "notes.txt", "--json", "--device", "cpu"], capsys)
    assert rc == 0 and json.loads(out)["tokens"][:3] == ["[CLS]", "paris", "is"]
    rc, out, _ = _run(["attention", "minilm", "hello", "--json", "--device", "cpu"], capsys)
    assert rc == 0 and json.loads(out)["tokens"] == ["[CLS]", "hello", "[SEP]"]


def test_transformers_loading_prints_nothing_on_stderr(tmp_path, capfd):
    """ELECTRA runs through `transformers` (AutoModel.from_pretrained), which prints "Loading weights"
    bars and warnings unless told not to: the loader tells it, for every command (bars and warnings
    are switched back on first, as in a fresh process)."""
    import importlib.util
    from pathlib import Path

    from transformers.utils import logging as hf_logging

    spec = importlib.util.spec_from_file_location("hf_tiny", Path(__file__).parents[1] / "engine" / "hf_tiny.py")
    hf_tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hf_tiny)
    folder = hf_tiny.save_bert_like(tmp_path / "electra", "electra")
    hf_logging.enable_progress_bar()
    hf_logging.set_verbosity_warning()
    capfd.readouterr()
    try:
        from engine.cli import main

        assert main(["embed", f"hf:{folder}", "the cat sat", "--device", "cpu"]) == 0
        out, err = capfd.readouterr()
    finally:
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    assert err == ""
    assert len(out.split("\t")) == 32


def test_a_model_that_is_a_plain_folder_or_file_is_named(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hi\n", encoding="utf-8")
    rc, out, err = _run(["attention", str(tmp_path), "hello"], capsys)
    assert rc == 2 and out == "" and len(err.splitlines()) == 1
    assert f"the folder '{tmp_path}' is neither a training run" in err
    rc, out, err = _run(["neighbors", str(tmp_path / "notes.txt"), "king"], capsys)
    assert rc == 2 and out == "" and f"'{tmp_path / 'notes.txt'}' is a file; a model is a registry id" in err


@pytest.mark.parametrize("args,needle", [
    (["project", "v.tsv", "--dims", "4"], "mlsp project: error: argument --dims: invalid choice: 4"),
    (["train", "word2vec", "--steps", "x"], "mlsp train: error: argument --steps: invalid int value: 'x'"),
    (["nosuch"], "mlsp: error: argument COMMAND: invalid choice: 'nosuch'"),
])
def test_usage_mistakes_are_one_line_too(args, needle, capsys):
    from engine.cli import main

    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith(needle) and "--help`." in err


def test_a_folder_as_output_file_is_refused_before_anything_is_written(tmp_path, capsys):
    """`--out DIR/` used to end in a traceback (and a stray DIR.tmp beside the folder)."""
    from engine.cli import main
    from engine.data.projector_tsv import write_vectors_tsv
    from engine.errors import InputError

    vectors = tmp_path / "v.tsv"
    assert main(["embed", "minilm", "hello", "--out", str(vectors), "--metadata", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"mlsp embed: error: '{tmp_path}' is a folder; give a file name, e.g. {tmp_path / 'metadata.tsv'}."]
    assert not vectors.exists()
    with pytest.raises(InputError, match="is a folder; give the name of a .tsv file"):
        write_vectors_tsv(tmp_path, np.zeros((2, 3), np.float32))
    assert sorted(p.name for p in tmp_path.parent.iterdir() if p.name.startswith(tmp_path.name)) == [tmp_path.name]
