"""A million points load and render with no sampling; 3-D holds every point too."""
import numpy as np
from PySide6.QtWidgets import QApplication

from engine.records.embeddings import Embeddings
from mlsp_gui.context import AppContext
from mlsp_gui.views.projector import ProjectorView

N = 1_000_000


def test_a_million_points_are_all_drawn(qtbot):
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((12, 8)) * 6
    which = rng.integers(0, 12, N)
    vectors = (centres[which] + rng.standard_normal((N, 8))).astype(np.float32)
    emb = Embeddings(labels=[f"p{i}" for i in range(N)], vectors=vectors, kind="tsv",
                     metadata={"cluster": [f"c{k}" for k in which]})
    ctx = AppContext.create()
    view = ProjectorView(ctx, auto_load=False)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    view.show_record(emb)
    qtbot.waitUntil(lambda: view.proj is not None and not view.busy(), timeout=60_000)
    cloud = view.scatter2d.cloud
    assert cloud.count() == N and len(cloud.xs) == N and len(cloud.cs) == N
    image = view.scatter2d.plot.grab().toImage()               # a real paint of the whole view
    assert cloud.last_drawn == N                                # every point went into the frame
    assert len(view.legend.rows()) == 12
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, np.uint8, count=image.sizeInBytes()).reshape(image.height(), -1)[:, :image.width() * 4]
    coloured = np.count_nonzero(np.ptp(pixels.reshape(image.height(), image.width(), 4)[..., :3], axis=2) > 40)
    assert coloured > 0.1 * image.width() * image.height()     # the clusters fill a good part of the view
    view.scatter2d.update_labels()
    assert 0 < len(cloud.label_idx) <= 250
    view.scatter2d.set_view_range([[-1.0, 1.0], [-1.0, 1.0]])  # zoomed in: only that band is rasterised
    view.scatter2d.plot.grab()
    assert 0 < cloud.last_drawn < N

    view.controls.set_dims(3)                                   # PCA re-runs in 3-D
    qtbot.waitUntil(lambda: view.proj.dims == 3 and not view.busy(), timeout=60_000)
    assert view.scatter3d.drawn_count() == N
    QApplication.processEvents()
    ctx.jobs.wait(10_000)
