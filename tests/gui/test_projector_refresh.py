"""Live refresh: while a run trains, `on_checkpoint` reloads the vectors from the new checkpoint
and re-projects in place, keeping the camera and the selected word. The run here is a real run
folder (config.json + checkpoints/step-N/) of a small word-vector model registered by the test."""
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from engine.contract.loaded import LoadedModel
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView

WORDS = [f"{g}{i}" for g in ("red", "cat", "bread", "paris") for i in range(25)]


@dataclass
class RunWords(LoadedModel):
    words: list = field(default_factory=list)
    counts: np.ndarray = None
    vectors: np.ndarray = None


def load_run_words(ref, device) -> RunWords:
    """Loader of the test's registry entry: a checkpoint folder, or a run's newest step-N folder."""
    path = Path(ref.path)
    if not (path / "vectors.npy").is_file():
        path = max((path / "checkpoints").glob("step-*"), key=lambda p: int(p.name[5:]))
    vectors = np.load(path / "vectors.npy")
    return RunWords(ref=ref, device=device, source=str(path),
                    words=list(WORDS), counts=np.arange(len(WORDS), 0, -1) * 10, vectors=vectors)


def write_checkpoint(run: Path, step: int, vectors: np.ndarray) -> Path:
    folder = run / "checkpoints" / f"step-{step}"
    folder.mkdir(parents=True)
    np.save(folder / "vectors.npy", vectors.astype(np.float32))
    return folder


def vectors_at(t: float, rng) -> np.ndarray:
    """Training progress t in [0, 1]: the four groups pull apart from one shared cloud."""
    centres = np.repeat(np.eye(4, 16) * 6.0, 25, axis=0)
    return (t * centres + rng.standard_normal((len(WORDS), 16)) * (1.2 - t)).astype(np.float32)


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    from engine.contract import registry as reg
    from engine.contract.spec import ModelSpec

    spec = ModelSpec(id="run-words", title="run words", capabilities={"word-vectors"}, inputs=("text",),
                     outputs=("vectors",), source="builtin", description="test entry",
                     loader=f"{__name__}:load_run_words")
    reg.registry()
    monkeypatch.setitem(reg._REGISTRY, spec.id, spec)
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"model": "run-words"}), encoding="utf-8")
    return run


def test_checkpoint_refresh_keeps_camera_and_selection(qtbot, run_dir):
    rng = np.random.default_rng(0)
    first = vectors_at(0.2, rng)
    write_checkpoint(run_dir, 100, first)
    ctx = AppContext.create()
    view = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    bar = view.source_bar
    bar.source.setCurrentIndex(bar.source.findData("word-vectors"))
    bar.model.setCurrentText(str(run_dir))
    bar.load_button.click()
    qtbot.waitUntil(lambda: view.proj is not None and not view.busy(), timeout=30_000)
    np.testing.assert_array_equal(view.emb.vectors, first)
    assert view.emb.metadata["word"] == WORDS
    view.select_point(WORDS.index("cat3"))
    qtbot.waitUntil(lambda: view.neighbor_list is not None, timeout=10_000)
    view.scatter2d.set_view_range([[-1.5, 2.0], [-1.0, 1.5]])           # the user zoomed in
    camera = view.scatter2d.view_range()
    before = view.proj.coords.copy()

    later = vectors_at(0.9, rng)
    ckpt = write_checkpoint(run_dir, 200, later)
    view.on_checkpoint(str(run_dir), str(ckpt))
    qtbot.waitUntil(lambda: not view.busy() and view.emb.vectors is not None
                    and np.array_equal(view.emb.vectors, later), timeout=30_000)
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    QApplication.processEvents()
    assert view.selected == WORDS.index("cat3")                         # the same word stays selected
    np.testing.assert_allclose(view.scatter2d.view_range(), camera, rtol=1e-9)
    from engine.projection.pca import pca
    from engine.projection.project import align

    expected = align(before, pca(later, 2).coords)                      # PCA of the new vectors, aligned
    np.testing.assert_allclose(view.proj.coords, expected, rtol=1e-4, atol=1e-4)
    truth = np.argsort(-(later / np.linalg.norm(later, axis=1, keepdims=True)) @
                       (later[WORDS.index("cat3")] / np.linalg.norm(later[WORDS.index("cat3")])))[1:11]
    assert list(view.neighbor_list.indices) == list(truth)             # neighbours of the new vectors
    assert all(WORDS[i].startswith("cat") for i in view.neighbor_list.indices)

    other = write_checkpoint(run_dir, 300, vectors_at(1.0, rng))
    view.on_checkpoint(str(run_dir.parent / "another-run"), str(other))  # not the run shown: ignored
    assert not view.busy() and np.array_equal(view.emb.vectors, later)

    view.controls.set_method("tsne")                                    # t-SNE continues from its layout
    view.controls.perplexity.setValue(10)
    view.controls.iterations.setValue(500)
    view.project()
    qtbot.waitUntil(lambda: view.proj.method == "tsne" and not view.busy(), timeout=60_000)
    layout = view.proj.coords.copy()
    view.on_checkpoint(str(run_dir), str(other))
    qtbot.waitUntil(lambda: np.array_equal(view.emb.vectors, np.load(other / "vectors.npy")) and not view.busy()
                    and view.proj.coords is not None and not np.array_equal(view.proj.coords, layout), timeout=60_000)
    assert view.proj.method == "tsne" and view.proj.iterations_done == 400      # the shorter refresh run
    spread = np.sqrt(((layout - layout.mean(0)) ** 2).sum(1).mean())
    assert np.sqrt(((view.proj.coords - layout) ** 2).sum(1).mean()) < 0.5 * spread   # the picture stays put
    ctx.jobs.wait(10_000)
