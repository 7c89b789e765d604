"""The embedding projector: any vectors (word2vec vocabulary, sentence or token embeddings,
projector TSV files) projected with PCA, t-SNE or UMAP into 2-D or 3-D, every point shown.

Search labels (substring or regex), click a point for its k nearest neighbours in the original
space, colour by a metadata column, select a region and export it. While a model trains,
`on_checkpoint` re-fetches the vectors from the new checkpoint and re-projects in place
(t-SNE and UMAP start from the previous layout, PCA is aligned to it), keeping camera and
selection. Sources, projections and neighbour searches run as jobs; `show_record` draws an
`Embeddings` record handed to it (tests build one).

Like the TensorBoard projector, it opens on data: shown for the first time with nothing loaded,
it loads the first source that needs no input (the word2vec vocabulary) unless the user or a
caller has already asked for something; anything asked for later replaces it.

What is chosen (source, model, method, dims, colour column, search, selection, neighbours, mouse
tool) lives in `self.state`, a ProjectorState (mlsp_gui/views/_projector_state.py): the source row,
the projection row and the side panel write it and follow it, and the view reacts to it.
`view_state()` is that state; `restore_state()` sets it (the colour column and the selection wait
for vectors to arrive when none are shown)."""
from __future__ import annotations

import html
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QStackedWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from engine.errors import MlspError
from engine.paths import same_path
from engine.records.embeddings import Embeddings
from engine.records.projection import NeighborList, Projection
from mlsp_gui.errors import error_html
from mlsp_gui.evented import as_str, indices
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views import _projector_io as io
from mlsp_gui.views._projector_panel import SidePanel
from mlsp_gui.views._projector_state import ProjectorState, selected_row
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.empty_hint import EmptyHint
from mlsp_gui.widgets.palettes import Coloring, color_by, fade
from mlsp_gui.widgets.projection_controls import METHOD_TITLES, ProjectionControls
from mlsp_gui.widgets.scatter_2d import Scatter2D
from mlsp_gui.widgets.scatter_3d import Scatter3D

REFRESH_ITERATIONS = 400       # t-SNE steps of a live refresh (it starts from the previous layout)
SEARCH_JOB_LIMIT = 100_000      # searches over more labels than this run as a job
PINNED_MATCHES = 100            # search matches that always get a label


class ProjectorView(View):
    title = "Projector"
    order = 40
    group = "Text & embeddings"
    view_id = "projector"
    needs_inputs = ("text", "audio", "image")

    def __init__(self, ctx, parent: QWidget | None = None, auto_load: bool = True) -> None:
        super().__init__(ctx, parent)
        self._auto_load = auto_load            # still to do on the first show
        self.emb: Embeddings | None = None
        self.proj: Projection | None = None
        self.coloring: Coloring = color_by("", None, 0)
        self.matches = np.zeros(0, np.int64)
        self.state = ProjectorState(self)
        self.neighbor_list: NeighborList | None = None
        self.norms: np.ndarray | None = None
        self.fetched_from: tuple[str, str] | None = None     # (source id, model ref) of the vectors shown
        self.pending: Pending | None = None                  # new vectors, shown once their projection succeeds
        self.source_token: object | None = None              # the newest source fetch; None: vectors handed over
        self.slots = JobSlots(ctx.jobs, f"projector:{id(self)}")
        self._pending_checkpoint: str | None = None
        self.source_bar = io.SourceBar(self)
        self.controls = ProjectionControls()
        self.controls.bind(self.state)
        self.scatter2d = Scatter2D()
        self.scatter3d = Scatter3D()
        self.canvas = QStackedWidget()
        self.canvas.addWidget(self.scatter2d)
        self.canvas.addWidget(self.scatter3d)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.canvas)
        self.panel = SidePanel(self.state)
        p = self.panel                                       # the panel's widgets the view draws into
        self.search_edit, self.regex_box, self.color_combo, self.legend = p.search_edit, p.regex_box, p.color_combo, p.legend
        self.mode_group, self.k_spin, self.nn_metric, self.match_label = p.mode_group, p.k_spin, p.nn_metric, p.match_label
        self.region_label, self.point_label, self.neighbor_tree = p.region_label, p.point_label, p.neighbor_tree
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.source_bar)
        controls_row = QHBoxLayout()
        controls_row.addWidget(self.controls, 1)
        controls_row.addWidget(self.source_bar.import_button)
        controls_row.addWidget(self.source_bar.export_button)
        layout.addLayout(controls_row)
        layout.addWidget(splitter, 1)
        self.info = QLabel("No vectors yet: choose a source and press Load, or import projector TSV files.")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.empty_hint = EmptyHint(self.canvas, io.EMPTY_HINT)
        self.empty_hint.show_if(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200, timeout=self.run_search)
        self._connect()

    def _connect(self) -> None:
        c = self.controls
        c.run_requested.connect(lambda: self.project())
        c.cancel_requested.connect(self.cancel)
        s = self.state
        s.dims_changed.connect(lambda _d: self._auto_project())
        s.method_changed.connect(lambda _m: self._auto_project())
        s.search_changed.connect(lambda _t: self._search_timer.start())
        s.regex_changed.connect(lambda _b: self.run_search())
        s.color_by_changed.connect(self._on_color_by)
        s.mode_changed.connect(self._set_mode)
        s.region_changed.connect(lambda _r: self._restyle())
        s.k_changed.connect(lambda _k: self.select_point(self.selected))
        s.nn_metric_changed.connect(lambda _m: self.select_point(self.selected))
        self.panel.clear_requested.connect(self.clear_selection)
        self.panel.export_requested.connect(lambda: io.ask_export(self, "selection"))
        self.neighbor_tree.itemActivated.connect(lambda item, _c: self.select_point(item.data(0, Qt.ItemDataRole.UserRole)))
        self.neighbor_tree.itemClicked.connect(lambda item, _c: self._flash(item.data(0, Qt.ItemDataRole.UserRole)))
        self.scatter2d.point_clicked.connect(self.select_point)
        self.scatter3d.point_clicked.connect(self.select_point)
        self.scatter2d.region_selected.connect(self.set_region)
        self.scatter3d.region_selected.connect(self.set_region)
        self.ctx.jobs.job_changed.connect(self._job_changed)

    # hooks --------------------------------------------------------------------------------------
    def on_model_changed(self, ref: str) -> None:
        self.source_bar.suggest_model(ref)

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        """A training run wrote a checkpoint: if these vectors come from that run, refresh them
        (after the refresh in progress, if any: only the newest waiting checkpoint is kept)."""
        if self.fetched_from is None or not same_path(self.fetched_from[1], run_dir):
            return
        if self.slots.running("source", "project"):
            self._pending_checkpoint = checkpoint
            return
        self._pending_checkpoint = None
        self.source_bar.fetch(checkpoint=checkpoint, refresh=True)

    def _next_checkpoint(self) -> None:
        pending = self._pending_checkpoint
        if pending and self.fetched_from is not None and not self.slots.running("source", "project"):
            self.on_checkpoint(self.fetched_from[1], pending)

    def showEvent(self, event) -> None:                 # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._auto_load:
            self._auto_load = False
            QTimer.singleShot(0, self.load_default)

    def load_default(self) -> bool:
        """Load the default source if it needs no input and nothing is shown or loading yet."""
        spec = self.source_bar.spec()
        if self.emb is not None or self.slots.running() or spec is None or spec.uses_input:
            return False
        self.source_bar.fetch()
        return True

    def show_record(self, record: Embeddings, source: str = "") -> None:
        """Show new vectors and project them with the current settings (a job); a source still
        loading is cancelled, so its vectors never replace these."""
        self.source_token = None
        self.slots.cancel("source")
        self.slots.forget("source")
        self.stage(record, fetched_from=None, source=source)   # handed-over vectors come from no source, even after a fetch

    # view state: the ProjectorState, with the selected point's label --------------------------------
    def current_state(self) -> dict:
        state = self.state.as_dict()
        if self.emb is None:                              # no colour column or selection without vectors
            return {k: v for k, v in state.items() if k not in ("color_by", "selected", "region")}
        if 0 <= self.selected < len(self.emb.labels):
            state["selected_label"] = self.emb.labels[self.selected]
        return state

    def apply_state(self, state: dict) -> dict | None:
        """Choices now, in the order the rows depend on each other; the colour column and the
        selection when vectors are shown (they wait for the next vectors otherwise)."""
        for name in ("source", "model", "method", "dims", "params", "search", "regex", "k", "nn_metric", "mode"):
            if name in state:
                self.state.restore({name: state[name]})
        wanted = {k: state[k] for k in ("color_by", "selected", "selected_label", "region") if k in state}
        if self.emb is None:                              # kept for the next vectors, if usable at all
            checks = {"color_by": as_str, "selected": selected_row, "selected_label": as_str,
                      "region": lambda v: indices(v).tolist()}
            return {k: v for k, v in ((k, take(wanted, k, checks[k])) for k in wanted) if v is not None}
        if "color_by" in wanted:
            self.state.restore({"color_by": wanted["color_by"]})
        n = len(self.emb.labels)
        region = take(wanted, "region", indices)
        if region is not None:
            self.region = region[region < n]
        row = take(wanted, "selected", selected_row)
        label = wanted.get("selected_label")
        if isinstance(label, str) and (row is None or not 0 <= row < n or self.emb.labels[row] != label):
            row = self.emb.labels.index(label) if label in self.emb.labels else None
        if row is not None and row < n:
            self.select_point(row) if self.proj is not None else self.state.set_selected(row)
        return None

    # data ---------------------------------------------------------------------------------------
    def stage(self, emb: Embeddings, refresh: bool = False, fetched_from: tuple[str, str] | None = None,
              source: str = "") -> None:
        """Load new vectors as one transaction: they are projected first and replace what is shown
        (vectors, labels, coordinates, colouring, selection, what Export writes) only when their
        projection succeeds. A refused load (non-finite vectors, a failed projection) changes nothing."""
        problem = non_finite_problem(emb)
        if problem:
            self.pending = None
            self._refused(problem, source)
            return
        self.pending = Pending(emb, refresh, fetched_from, source)
        self.project(refresh=refresh)

    def _commit(self, pending: Pending) -> None:
        """The staged vectors become the view's (their projection is drawn right after)."""
        self.pending = None
        self.fetched_from = pending.fetched_from
        self.proj = None                                  # the old coordinates never meet the new labels
        self.set_embeddings(pending.emb, refresh=pending.refresh)

    def _refused(self, message: str, source: str = "") -> None:
        """A load that did not happen: say so, naming where the vectors came from and what is still shown."""
        self.controls.set_running(False, "")
        kept = f"; still showing the previous {len(self.emb.labels):,} points" if self.emb is not None else ""
        of = f" of {source}" if source else ""
        self.ctx.notify("error", f"Projector: the new vectors{of} were not loaded: {message}{kept}.")
        self._show_info()
        if self.emb is None:
            self.empty_hint.setText(io.EMPTY_HINT)

    def _show_info(self) -> None:
        emb = self.emb
        if emb is None:
            self.info.setText("No vectors yet: choose a source and press Load, or import projector TSV files.")
            return
        self.info.setText(f"{len(emb.labels):,} points · {emb.dim}-d {html.escape(emb.kind)} vectors"
                          + (f" · {html.escape(emb.model)}" if emb.model else "")
                          + (f"<br><span style='color:#8a5a00'>⚠ {html.escape(emb.note)}</span>" if emb.note else ""))
        self.info.setToolTip(emb.note)

    def set_embeddings(self, emb: Embeddings, refresh: bool = False) -> None:
        """Hold new vectors; on a refresh keep the colouring column, search and selection by label.
        (Loads go through `stage`, which calls this once the new vectors are projected.)"""
        old, old_sel = self.emb, self.selected
        self.emb, self.norms = emb, None
        self._show_info()
        if emb.note and not refresh:
            self.ctx.notify("warning", f"Projector: {emb.note}")
        column = self.color_combo.currentData() if refresh else None
        column = column if column in emb.metadata else default_color_column(emb)
        self.coloring = color_by(column or "", metadata_column(emb, column), len(emb.labels))
        self.legend.set_coloring(self.coloring)
        self.panel.set_columns(list(emb.metadata), column)
        self.selected, self.neighbor_list = -1, None
        if refresh and old is not None and old_sel >= 0:
            where = {lab: i for i, lab in enumerate(emb.labels)}
            self.selected = where.get(old.labels[old_sel], -1)
        if not refresh:
            self.region = np.zeros(0, np.int64)
        self.region = self.region[self.region < len(emb.labels)]
        if self.selected < 0:                 # the old neighbours' header never stays over an empty list
            self.neighbor_tree.clear()
            self.point_label.setText("Click a point to list its nearest neighbours (original space).")
        self.apply_waiting_state()                      # a restored colour column or selection, if any

    # projecting ---------------------------------------------------------------------------------
    def _auto_project(self) -> None:
        if (self.pending is not None or self.emb is not None) and self.controls.params().method == "pca":
            self.project(refresh=self.pending.refresh if self.pending is not None else False)

    def project(self, refresh: bool = False) -> None:
        """Project the vectors shown, or the staged ones (which are shown once this succeeds)."""
        pending = self.pending
        emb = pending.emb if pending is not None else self.emb
        if emb is None:
            return
        params = self.controls.params()
        init = None
        same_rows = self.proj is not None and len(self.proj.coords) == len(emb.labels)
        if refresh and same_rows and self.proj.coords.shape[1] == params.dims \
                and params.method != "pca" and self.proj.method == params.method:
            init = self.proj.coords                           # continue from the layout on screen
            params = replace(params, iterations=min(params.iterations, REFRESH_ITERATIONS))
        previous = self.proj.coords if refresh and same_rows else None
        self.controls.set_running(True, f"{METHOD_TITLES.get(params.method, params.method)}: starting")
        self.slots.submit("project", f"Project {len(emb.labels):,} points ({params.method})", io.project_job,
                     emb.vectors, params, init,
                     on_done=lambda p, prev=previous, pend=pending: self._projected(p, pend, refresh, prev),
                     on_error=lambda m, pend=pending: self._project_failed(m, pend))

    def _projected(self, proj: Projection, pending: Pending | None, refresh: bool, previous: np.ndarray | None) -> None:
        if pending is not None:
            if pending is not self.pending:               # newer vectors were staged since
                return
            self._commit(pending)
        self.show_projection(proj, keep_view=refresh, previous=previous)

    def cancel(self) -> None:
        self.slots.cancel("project")
        self.pending = None
        self.controls.set_running(False, "cancelled")
        self._show_info()

    def _project_failed(self, message: str, pending: Pending | None = None) -> None:
        if pending is not None and pending is self.pending:
            self.pending = None
            self._refused(message.rstrip("."), pending.source)
        else:
            self.controls.set_running(False, "")
            self.ctx.notify("error", f"Projector: {message}")
        self._next_checkpoint()

    def show_projection(self, proj: Projection, keep_view: bool = False, previous: np.ndarray | None = None) -> None:
        """Draw a finished projection of the vectors held (aligned to `previous` when given)."""
        if proj is None or self.emb is None or len(proj.coords) != len(self.emb.labels):
            return
        if previous is not None and previous.shape == proj.coords.shape:
            from engine.projection.project import align

            proj = replace(proj, coords=align(previous, proj.coords))
        self.proj = proj
        self.empty_hint.show_if(False)
        self.controls.set_running(False, io.describe(proj))
        self.canvas.setCurrentWidget(self.scatter3d if proj.dims == 3 else self.scatter2d)
        if proj.dims == 3:
            self.scatter3d.axis_names = tuple(f"PC{k}" for k in (1, 2, 3)) if proj.method == "pca" else \
                tuple(f"{METHOD_TITLES.get(proj.method, proj.method)} {k}" for k in (1, 2, 3))
            self.scatter3d.set_points(proj.coords, self.coloring.colors, size=point_size(len(proj.coords)),
                                      keep_view=keep_view, labels=self.emb.labels)
        else:
            self.scatter2d.cloud.point_size = point_size(len(proj.coords))
            self.scatter2d.set_points(proj.coords, self.coloring.colors, shown_labels(self.emb), label_priority(self.emb),
                                      keep_view=keep_view)
        self._restyle()
        if self.state.search:
            self.run_search()
        if self.selected >= 0:
            self.select_point(self.selected)
        QTimer.singleShot(0, self._next_checkpoint)

    # colour, search, selection ------------------------------------------------------------------
    def _on_color_by(self, column: str) -> None:
        if self.emb is not None and column and column not in self.emb.metadata:
            self.state.set_color_by(self.color_combo.currentData() or "")     # not a column of these vectors
        elif self.emb is not None and column != self.coloring.column:
            self.apply_coloring(column)

    def apply_coloring(self, column: str | None) -> None:
        if self.emb is None:
            return
        self.coloring = color_by(column or "", metadata_column(self.emb, column), len(self.emb.labels))
        self.legend.set_coloring(self.coloring)
        self._restyle()

    def _emphasis(self) -> np.ndarray | None:
        if len(self.region):
            return self.region
        if self.state.search:
            return self.matches
        return None

    def _restyle(self) -> None:
        """Push colours, emphasis, markers and pinned labels to the scatter that is shown."""
        if self.emb is None or self.proj is None or len(self.proj.coords) != len(self.emb.labels):
            return
        colors = self.coloring.colors
        emph = self._emphasis()
        nbrs = self.neighbor_list.indices if self.neighbor_list is not None else np.zeros(0, np.int64)
        if self.proj.dims == 3:
            self.scatter3d.set_colors(colors if emph is None else _emphasised(colors, emph))
            self.scatter3d.set_markers(self.selected, nbrs, self.emb.labels,
                                       self.matches if self.state.search else None)
            return
        cloud = self.scatter2d.cloud
        cloud.set_colors(colors)
        cloud.set_emphasis(emph, fade(colors) if emph is not None else None)
        cloud.set_markers(self.selected, nbrs, self.matches if self.state.search else None)
        pinned = [np.array([self.selected])] if self.selected >= 0 else []
        pinned += [nbrs, self.matches[:PINNED_MATCHES] if self.state.search else np.zeros(0, np.int64)]
        self.scatter2d.set_pinned(np.concatenate(pinned).astype(np.int64))

    def run_search(self) -> None:
        if self.emb is None:
            return
        query, regex = self.state.search, self.state.regex
        if len(self.emb.labels) > SEARCH_JOB_LIMIT and query:
            self.match_label.setText("searching…")
            self.slots.submit("search", f"Search {len(self.emb.labels):,} labels", io.search_job, self.emb.labels, query,
                         regex, on_done=self._show_matches, on_error=lambda m: self.match_label.setText(html.escape(m)))
            return
        try:
            from engine.projection.select import match_labels

            self._show_matches(np.flatnonzero(match_labels(self.emb.labels, query, regex)))
        except MlspError as exc:
            self.match_label.setText(error_html(str(exc)))

    def _show_matches(self, matches: np.ndarray) -> None:
        self.matches = np.asarray(matches, np.int64)
        query = self.state.search
        self.match_label.setText(f"{len(self.matches):,} of {len(self.emb.labels):,} match" if query else "")
        self._restyle()

    def _set_mode(self, mode: str) -> None:
        self.scatter2d.set_mode(mode)
        self.scatter3d.set_mode(mode)

    def set_region(self, indices: np.ndarray) -> None:
        """Select these rows (the panel's label and the drawing follow the state)."""
        self.region = np.asarray(indices, np.int64)

    # the state's selection, as the view's own attributes -----------------------------------------
    @property
    def selected(self) -> int:
        """The clicked point (-1: none)."""
        return self.state.selected

    @selected.setter
    def selected(self, index: int) -> None:
        self.state.set_selected(int(index))

    @property
    def region(self) -> np.ndarray:
        """The rows selected with the rectangle or lasso."""
        return self.state.region

    @region.setter
    def region(self, rows) -> None:
        self.state.set_region(np.asarray(rows, np.int64))

    def clear_selection(self) -> None:
        self.selected, self.neighbor_list = -1, None
        self.neighbor_tree.clear()
        self.set_region(np.zeros(0, np.int64))

    def select_point(self, index: int | None) -> None:
        """Select a point (-1: none) and list its k nearest neighbours in the original space (a job)."""
        if self.emb is None or index is None:
            return
        self.selected = int(index)
        self.neighbor_list = None
        self.neighbor_tree.clear()
        if self.selected < 0:
            self.point_label.setText("Click a point to list its nearest neighbours (original space).")
            self._restyle()
            return
        self.point_label.setText(f"<b>{html.escape(self.emb.labels[self.selected])}</b> · neighbours…")
        self._restyle()
        self.slots.submit("knn", "Nearest neighbours", io.knn_job, self.emb.vectors, self.selected, self.state.k,
                     self.state.nn_metric, self.norms, on_done=self.show_neighbors,
                     on_error=lambda m: self.point_label.setText(html.escape(m)))

    def show_neighbors(self, result) -> None:
        nl, norms = result
        if self.emb is None or nl.query != self.selected:
            return
        self.norms = norms
        self.neighbor_list = nl
        cosine = nl.metric == "cosine"
        self.neighbor_tree.setHeaderLabels(["#", "label", "cosine" if cosine else "distance"])
        for rank, (i, d) in enumerate(zip(nl.indices, nl.distances), 1):
            value = 1.0 - float(d) if cosine else float(d)
            item = QTreeWidgetItem([str(rank), self.emb.labels[i], f"{value:.4f}"])
            item.setData(0, Qt.ItemDataRole.UserRole, int(i))
            self.neighbor_tree.addTopLevelItem(item)
        self.point_label.setText(f"<b>{html.escape(self.emb.labels[self.selected])}</b> · {len(nl.indices)} nearest "
                                 f"({nl.metric}, {self.emb.dim}-d)")
        self._restyle()

    def _flash(self, index: int) -> None:
        if self.proj is not None and self.proj.dims == 2 and index is not None:
            self.scatter2d.cloud.set_hovered(int(index))

    # jobs ---------------------------------------------------------------------------------------
    def _job_changed(self, job) -> None:
        if job.id == self.slots.id_of("source") and job.status == "cancelled":
            self.slots.forget("source")
        if job.id == self.slots.id_of("project"):
            if job.status == "running":
                self.controls.set_progress(job.progress, job.message)
            elif job.status == "cancelled":
                self.slots.forget("project")
                self.controls.set_running(False, "cancelled")

    def busy(self) -> bool:
        return self.slots.running()


@dataclass(frozen=True, eq=False)
class Pending:
    """Vectors staged for the view: shown (with `fetched_from`) once their projection succeeds."""

    emb: Embeddings
    refresh: bool
    fetched_from: tuple[str, str] | None
    source: str = ""                                   # where they came from, for messages


def non_finite_problem(emb: Embeddings) -> str:
    """Why vectors cannot be projected: rows holding NaN or infinity ("" when every value is finite),
    or labels and rows that do not match."""
    vectors = np.asarray(emb.vectors)
    if vectors.ndim != 2 or len(vectors) != len(emb.labels):
        return f"{len(emb.labels):,} labels for vectors of shape {tuple(vectors.shape)}"
    if not len(vectors):
        return "there are no vectors"
    bad = int((~np.isfinite(vectors).all(axis=1)).sum()) if vectors.dtype.kind == "f" else 0
    if bad:
        first = emb.labels[int(np.flatnonzero(~np.isfinite(vectors).all(axis=1))[0])]
        return f"{bad:,} of {len(vectors):,} vectors hold NaN or infinite values (the first: '{first}')"
    return ""


def metadata_column(emb: Embeddings | None, name: str | None) -> list[str] | None:
    return None if emb is None or not name else emb.metadata.get(name)


def default_color_column(emb: Embeddings) -> str | None:
    """The first metadata column that groups the points (2 to 50 values, not the labels again)."""
    for name, values in emb.metadata.items():
        if values != emb.labels and 1 < len(set(values)) <= 50:
            return name
    return None


def shown_labels(emb: Embeddings, limit: int = 40) -> list[str]:
    """The labels drawn beside the points: sentences shortened (the list and hover keep them whole)."""
    return [t if len(t) <= limit else t[:limit - 1] + "…" for t in emb.labels]


def label_priority(emb: Embeddings) -> np.ndarray:
    """Which labels to draw first: by the 'count' column when there is one (most frequent first), else row order."""
    counts = emb.metadata.get("count")
    if counts is not None:
        try:
            return np.argsort(-np.asarray(counts, np.float64), kind="stable")
        except ValueError:
            pass
    return np.arange(len(emb.labels))


def point_size(n: int) -> float:
    """Pixels across one point: big when few, one-to-two pixels when a million share the screen."""
    return 7.0 if n <= 2_000 else 5.0 if n <= 20_000 else 3.0 if n <= 200_000 else 2.0


def _emphasised(colors: np.ndarray, indices: np.ndarray) -> np.ndarray:
    out = fade(colors)
    out[indices] = colors[indices]
    return out


VIEW = ProjectorView

if __name__ == "__main__":
    run_standalone(ProjectorView)
