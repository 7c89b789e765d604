"""The fault suite on the CLI: every hostile file through every reader — text, audio, image, projector
TSV, parallel TSV, lesson file, checkpoint, run folder (config, status, metrics), HuggingFace folder
and audio word folder. Each `mlsp` run must end with exit 0 or 2, no traceback, an error as one
line, and strict JSON under --json. Runs in-process (cli_inproc), so hundreds of cases stay fast."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from cli_inproc import check_contract, run_cli
from hostile import HOSTILE_KINDS, hostile_files
from runs_fixtures import word2vec_run

# reader -> argv ({f}: the hostile file)
FILE_READERS = {
    "text": ["embed", "word2vec", "{f}", "--json"],
    "spectrogram": ["spectrogram", "{f}", "--json"],
    "audio-embed": ["embed", "logmel", "{f}", "--json"],
    "image": ["embed", "patches", "{f}", "--json"],
    "projector-tsv": ["project", "{f}", "--json"],
    "projector-metadata": ["project", "{good_tsv}", "--metadata", "{f}", "--json"],
    "parallel-tsv": ["data", "{f}", "--json"],
    "lesson": ["lesson", "check", "{f}", "--json"],
}
# a run folder's parts a hostile file can stand in for, and what reads them
RUN_PARTS = ("checkpoints/step-00000020/model.safetensors", "checkpoints/step-00000020/state.json",
             "checkpoints/step-00000020/vocab.tsv", "metrics.jsonl", "status.json", "config.json")
RUN_READERS = {"runs": ["runs", "{run}", "--json"], "runs-folder": ["runs", "{root}", "--json"],
               "neighbors": ["neighbors", "{run}", "king", "-k", "3", "--json"]}
HF_PARTS = ("config.json", "model.safetensors", "tokenizer.json")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return hostile_files(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def good_tsv(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("tsv") / "vectors.tsv"
    p.write_text("".join(f"{i}\t{i * i % 7}\t{i % 3}\n" for i in range(12)), encoding="utf-8")
    return p


def _check(argv: list[str]) -> None:
    res = run_cli(argv)
    check_contract(res, json_mode="--json" in argv)


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@pytest.mark.parametrize("reader", list(FILE_READERS))
def test_file_readers(hostile, good_tsv, reader: str, kind: str) -> None:
    argv = [a.format(f=hostile[kind], good_tsv=good_tsv) for a in FILE_READERS[reader]]
    _check(argv)


def _put(hostile_path: Path, target: Path) -> None:
    """Make `target` what `hostile_path` is: its bytes, or a folder, or a dangling link."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    if hostile_path.is_symlink():
        os.symlink(target.with_name("nowhere"), target)
    elif hostile_path.is_dir():
        target.mkdir()
    else:
        shutil.copyfile(hostile_path, target)


@pytest.mark.parametrize("part", RUN_PARTS)
def test_run_folder_readers(hostile, tmp_path, part: str) -> None:
    for kind in HOSTILE_KINDS:
        root = tmp_path / kind
        run = word2vec_run(root)
        _put(hostile[kind], run / part)
        for reader, template in RUN_READERS.items():
            argv = [a.format(run=run, root=root) for a in template]
            res = run_cli(argv)
            check_contract(res, json_mode=True)
            if part != "config.json" and reader == "neighbors":
                assert res.rc == 0, (kind, res.explain())         # the older checkpoint, or no metrics: still works


@pytest.mark.parametrize("part", HF_PARTS)
def test_huggingface_folder_readers(hostile, tmp_path, part: str) -> None:
    from hf_folders import hf_tiny

    source = hf_tiny.tiny_folder("bert")
    kinds = [k for k in HOSTILE_KINDS if k not in ("nan-wav", "all-nan-wav", "inf-wav", "png-bomb", "long-line")]
    for kind in kinds:
        folder = tmp_path / kind
        shutil.copytree(source, folder)
        _put(hostile[kind], folder / part)
        _check(["embed", f"hf:{folder}", "a cat", "--json"])


def test_audio_word_folders(hostile, tmp_path) -> None:
    """A user's word folder full of hostile audio: readable files are used, the others skipped and
    named, or the folder refused in one sentence."""
    from engine.data.words import resolve_words
    from engine.errors import MlspError

    audio = {k: p for k, p in hostile.items() if p.suffix == ".wav" or k in ("empty", "binary", "folder")}
    labelled = tmp_path / "labelled"
    for word in ("yes", "no"):
        (labelled / word).mkdir(parents=True)
        for kind, p in audio.items():
            _put(p, labelled / word / f"{kind}_nohash_0.wav")
    flat = tmp_path / "flat"
    flat.mkdir()
    for kind, p in audio.items():
        _put(p, flat / f"{kind}.wav")
    for folder in (labelled, flat, tmp_path / "nothing-here"):
        folder.mkdir(exist_ok=True)
        try:
            corpus = resolve_words(str(folder))
        except MlspError as exc:
            assert "\n" not in str(exc) and folder.name in str(exc)
        else:
            assert "allnan" not in " ".join(corpus.labels)
            import numpy as np

            for split in (corpus.train, corpus.valid, corpus.test):
                assert np.isfinite(split.store.clips(split.rows)).all()
