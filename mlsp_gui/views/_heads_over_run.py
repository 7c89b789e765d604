"""The "Entropy over checkpoints" plot of the Rollout and head summaries view, when the model is a
training run: each summary the view draws adds the point of the checkpoint it came from (the weights
the model store holds for the run: its newest checkpoint, or the one the session last handed the
views), and the run's other complete checkpoints are filled in by a background job
(engine.probes.attention_over_checkpoints). Another text, stack or run starts the plot over.
Hidden when the model is not a run."""
from __future__ import annotations

from pathlib import Path

from engine.records.attention_over_checkpoints import HeadsOverCheckpoints
from engine.records.attention_summary import AttentionSummary
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.widgets.entropy_over_checkpoints import EntropyOverCheckpoints


def _fill(state, run: str, probe_input, device: str, stack: int, generate: int, steps: list[int]) -> HeadsOverCheckpoints:
    """The job: summaries of the run's checkpoints `steps` (imports torch; the zoo loads each)."""
    from engine.contract.spec import ModelRef
    from engine.probes.attention_over_checkpoints import over_checkpoints
    from engine.zoo import load_model, resolve

    spec = resolve(run).spec

    def progress(fraction: float, message: str) -> None:
        state.check()
        state.progress(fraction, message)

    return over_checkpoints(run, probe_input, lambda folder: load_model(ModelRef(spec=spec, path=folder, text=run), device),
                            stack=stack, generate=generate, steps=set(steps), progress=progress)


def shown_step(model) -> int | None:
    """The step of the checkpoint a loaded model came from (its folder, or the folder of its file)."""
    from engine.probes.attention_over_checkpoints import checkpoint_step

    source = str(getattr(model, "source", "") or "")
    if not source:
        return None
    step = checkpoint_step(source)
    return step if step is not None else checkpoint_step(Path(source).parent)


class HeadsOverRun:
    """Keeps `plot` in step with the run the view `view` shows (an AttentionView)."""

    def __init__(self, view, plot: EntropyOverCheckpoints) -> None:
        self.view, self.plot = view, plot
        self.slots = JobSlots(view.ctx.jobs, f"view:{view.view_id}:{id(view)}:over-checkpoints")
        self.key: tuple | None = None
        self.pending: set[int] = set()          # steps the running fill job computes
        self.failed: set[int] = set()           # steps it could not (damaged, rotated away): not asked again
        plot.setVisible(False)

    def run_dir(self) -> str | None:
        from engine.probes.attention_over_checkpoints import is_run_folder

        ref = self.view.source.model_ref()
        return ref if is_run_folder(ref) else None

    def model_changed(self) -> None:
        """Show the plot only for a run (its points wait for the next summary)."""
        self.plot.setVisible(self.run_dir() is not None)

    def update(self, summary: AttentionSummary, stack: int) -> None:
        """The view drew `summary` (of `stack`): add its checkpoint's point, fill in the others."""
        from engine.probes.attention_over_checkpoints import checkpoint_heads, loss_at
        from engine.training.runs import read_metrics

        run = self.run_dir()
        self.plot.setVisible(run is not None)
        request = self.view.source.snapshot()
        if run is None or request is None:
            return
        key = (str(Path(run).resolve()), request.text, request.pair, request.generate, request.input_key, stack)
        if key != self.key:
            self.key, self.pending, self.failed = key, set(), set()
            self.slots.cancel("fill")
            self.plot.clear()
        model = self.view.ctx.models.cached(run, self.view.ctx.session.device)
        step = shown_step(model)
        if step is not None:
            self.plot.add(checkpoint_heads(summary, step, loss_at(read_metrics(Path(run)), step), str(model.source)))
        self.plot.set_marker(step)
        self._fill_missing(run, request, stack)

    def _fill_missing(self, run: str, request, stack: int) -> None:
        from engine.training.runs import list_checkpoints

        missing = {c.step for c in list_checkpoints(Path(run))} - set(self.plot.points) - self.failed
        if not missing or (self.slots.running("fill") and missing <= self.pending):
            return
        self.pending = missing
        key = self.key
        self.slots.submit("fill", f"Attention over the checkpoints of {Path(run).name}", _fill, run,
                          request.probe_input, self.view.ctx.session.device, stack, request.generate, sorted(missing),
                          on_done=lambda result, k=key: self._filled(k, result),
                          on_error=lambda message, k=key: self._fill_failed(k, message))

    def _filled(self, key: tuple, result: HeadsOverCheckpoints) -> None:
        if key != self.key:
            return
        asked, self.pending = self.pending, set()
        for point in result.points:
            self.plot.add(point, replace=False)
        self.failed |= asked - {p.step for p in result.points}
        self.plot.set_marker(self.plot.marker_step)

    def _fill_failed(self, key: tuple, message: str) -> None:
        if key != self.key:
            return
        self.failed |= self.pending
        self.pending = set()
        self.view.ctx.notify("warning", f"Entropy over checkpoints: {message}")
