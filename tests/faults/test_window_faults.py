"""The fault suite in the window: every hostile file through File → Open, the projector's Import TSV,
Load checkpoint… and the model folder loaders. Each must end in a notice naming the file (or load
with a note), leave what was there before intact, and raise nothing in the window: every failed
job carries a user's sentence, never a raw exception."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import input_files as files
import numpy as np
import pytest
from hostile import hostile_files
from window_support import wait_jobs

RAW = re.compile(r"^[A-Z]\w*(Error|Exception|Interrupt|Warning)\b")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return hostile_files(tmp_path_factory.mktemp("hostile-window"))


@pytest.fixture
def window(make_main_window, app_dirs, qtbot):
    window = make_main_window()
    window.ctx.session.set_device("cpu")
    window.open_paths([str(files.text_file(app_dirs.files, "good.txt"))])
    qtbot.waitUntil(lambda: len(window.ctx.session.inputs) == 1, timeout=15000)
    wait_jobs(qtbot, window)
    return window


def raw_failures(window) -> list[str]:
    return [f"{j.name}: {j.error}" for j in window.ctx.jobs.jobs()
            if j.status == "failed" and (RAW.match(j.error) or j.name.startswith("Error in"))]


def named_in_a_notice(window, path: Path) -> bool:
    return any(path.name in m for m in window.notices.messages())


def test_file_open_of_every_hostile_file(window, hostile, qtbot):
    good = window.ctx.session.inputs[0]
    for kind, path in hostile.items():
        before = len(window.ctx.session.inputs)
        window.notices.clear()
        window.open_paths([str(path)])
        wait_jobs(qtbot, window)
        qtbot.wait(20)
        loaded = len(window.ctx.session.inputs) > before
        if not path.is_dir():
            assert loaded or named_in_a_notice(window, path), (kind, window.notices.messages()[-3:])
        if loaded:
            item = window.ctx.session.inputs[-1]
            if item.kind == "audio":
                assert np.isfinite(item.record.samples).all(), kind
        assert good in window.ctx.session.inputs, kind
        assert not raw_failures(window), (kind, raw_failures(window))
    assert window.isVisible()


def test_projector_import_of_every_hostile_file(window, hostile, qtbot, tmp_path):
    from engine.records.embeddings import Embeddings

    view = window.views.open("projector", focus=True)
    rng = np.random.default_rng(0)
    emb = Embeddings(labels=[f"w{i}" for i in range(60)], vectors=rng.standard_normal((60, 5)).astype(np.float32),
                     kind="word", metadata={})
    view.show_record(emb)
    qtbot.waitUntil(lambda: view.emb is emb and view.proj is not None and not view.busy(), timeout=30_000)
    view.select_point(7)
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    coords, selected = view.proj.coords.copy(), view.selected
    good = tmp_path / "vectors.tsv"
    good.write_text("".join(f"{i}\t{i % 5}\t{i % 3}\n" for i in range(60)), encoding="utf-8")
    for kind, path in hostile.items():
        for vectors, metadata in ((path, None), (good, path)):
            window.notices.clear()
            view.source_bar.import_files(str(vectors), str(metadata) if metadata else None)
            qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
            wait_jobs(qtbot, window)
            if view.emb is emb:                              # refused: everything as it was
                np.testing.assert_array_equal(view.proj.coords, coords)
                assert view.selected == selected
                assert named_in_a_notice(window, path), (kind, window.notices.messages()[-2:])
            else:                                            # read (a numeric file): the view is whole
                assert len(view.proj.coords) == len(view.emb.labels) == len(view.emb.vectors), kind
                view.show_record(emb)
                qtbot.waitUntil(lambda: view.emb is emb and not view.busy(), timeout=30_000)
                coords, selected = view.proj.coords.copy(), view.selected
            assert not raw_failures(window), (kind, raw_failures(window))


def test_load_checkpoint_and_folders_of_every_hostile_file(window, hostile, qtbot, tmp_path):
    from runs_fixtures import word2vec_run

    window.ctx.session.set_model("word2vec")
    for kind, path in hostile.items():
        if path.is_file() and not path.is_symlink():
            window.notices.clear()
            window.load_checkpoint(str(path))                     # a weights file into the chosen model
            wait_jobs(qtbot, window)
            assert window.ctx.session.model == "word2vec", kind
            assert named_in_a_notice(window, path), (kind, window.notices.messages()[-2:])
        run = word2vec_run(tmp_path / f"{kind}-run", steps=(10,))
        target = run / "checkpoints" / "step-00000010" / "model.safetensors"
        target.unlink()
        if path.is_dir() or path.is_symlink():
            target.mkdir()
        else:
            shutil.copyfile(path, target)
        window.load_model_folder(str(run))
        wait_jobs(qtbot, window)
        assert window.ctx.session.model == "word2vec", kind       # refused: the choice goes back
        assert not raw_failures(window), (kind, raw_failures(window))
    assert window.isVisible()


def test_hostile_huggingface_folders(window, hostile, qtbot, tmp_path):
    from hf_folders import hf_tiny, pickled_folder

    window.ctx.session.set_model("word2vec")
    marker = tmp_path / "it-ran"
    folders = [pickled_folder(tmp_path, evil=True, marker=marker)]
    for kind in ("deep-json", "binary", "empty", "truncated-safetensors"):
        folder = tmp_path / f"hf-{kind}"
        shutil.copytree(hf_tiny.tiny_folder("bert"), folder)
        part = "model.safetensors" if kind == "truncated-safetensors" else "config.json"
        shutil.copyfile(hostile[kind], folder / part)
        folders.append(folder)
    for folder in folders:
        window.notices.clear()
        window.load_model_folder(str(folder), prefix="hf:")
        wait_jobs(qtbot, window)
        assert window.ctx.session.model == "word2vec", folder.name
        assert named_in_a_notice(window, folder), (folder.name, window.notices.messages())
        assert not raw_failures(window), raw_failures(window)
    assert any("pickle that could run code" in m for m in [j.error for j in window.ctx.jobs.jobs()])
    assert not marker.exists()
