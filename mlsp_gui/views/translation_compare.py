"""Compare: the same sentence through several translation models side by side — the seq2seq variants
(no attention, additive, dot: the shipped model or your run folders) and the Transformer — each with
its translation, score and mean cross-attention."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mlsp_gui.evented import as_str
from mlsp_gui.job_slots import JobSlots
from mlsp_gui.views._translation_common import SAMPLE, SHIPPED, mean_or_head
from mlsp_gui.views.base import View, run_standalone, take
from mlsp_gui.widgets.heatmap import HeatmapWidget

MAX_MODELS = 4


def _compare(state, refs: list[str], device: str, text: str, loaded: dict):
    """Job: [(ref, Translation or None, error message or "")], and the models loaded on the way."""
    from engine.probes.translation import translate
    from engine.zoo import load_model

    out = []
    for i, ref in enumerate(refs):
        state.progress(i / max(len(refs), 1), f"{ref}")
        try:
            model = loaded.get(ref) or load_model(ref, device)
            loaded[ref] = model
            out.append((ref, translate(model, text, beam=4), ""))
        except Exception as exc:                       # one failing model never hides the others
            out.append((ref, None, str(exc)))
    return out, loaded


class CompareView(View):
    title = "Compare translations"
    order = 62
    group = "Translation"
    view_id = "translation_compare"
    needs = "translate"
    needs_inputs = ("source-target",)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.owner = f"view:{self.view_id}:{id(self)}"
        self.slots = JobSlots(ctx.jobs, self.owner)
        self.loaded: dict = {}
        self.results: list = []
        self.requested = 0
        self.models = QLineEdit(", ".join(SHIPPED))
        self.models.setToolTip("Up to 4 translation models, comma-separated: nmt-transformer, seq2seq, or run folders "
                               "(e.g. your seq2seq runs with attention none, additive and dot)")
        self.edit = QLineEdit(SAMPLE)
        self.edit.setClearButtonEnabled(True)
        go = QPushButton("Translate")
        self.status = QLabel("")
        self.grid = QGridLayout()
        self.panels: list[tuple[QLabel, HeatmapWidget]] = []
        for i in range(MAX_MODELS):
            label = QLabel("")
            label.setWordWrap(True)
            heat = HeatmapWidget(self, row_name="French", col_name="English", value_name="attention")
            heat.set_empty_text("")
            self.grid.addWidget(label, 0, i)
            self.grid.addWidget(heat, 1, i)
            label.setVisible(False)
            heat.setVisible(False)
            self.panels.append((label, heat))
        top = QHBoxLayout()
        top.addWidget(QLabel("Models:"))
        top.addWidget(self.models, 1)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(self.grid, 1)
        go.clicked.connect(self.request)
        self.edit.returnPressed.connect(self.request)
        self.models.returnPressed.connect(self.request)

    def refs(self) -> list[str]:
        return [r.strip() for r in self.models.text().split(",") if r.strip()][:MAX_MODELS]

    def showEvent(self, event) -> None:              # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self.results and not self.slots.running():
            self.request()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        self.loaded.pop(run_dir, None)               # a run's newest checkpoint is loaded again
        if run_dir in self.refs():
            self.request()

    def request(self) -> None:
        text = self.edit.text().strip()
        if not text:
            return
        self.requested += 1
        n = self.requested
        self.status.setText("translating …")
        self.slots.submit("compare", "Compare translations", _compare, self.refs(), self.ctx.session.device, text,
                          dict(self.loaded), on_done=lambda r, n=n: self._done(n, *r),
                          on_error=lambda m: self.status.setText(f"⚠ {m}"))

    def _done(self, request: int, results, loaded) -> None:
        self.loaded = loaded
        if request == self.requested:
            self.show_record(results)

    def show_record(self, record) -> None:
        """Draw [(ref, Translation | None, error), ...]."""
        self.results = list(record)
        self.status.setText("")
        for i, (label, heat) in enumerate(self.panels):
            if i >= len(self.results):
                label.setVisible(False)
                heat.setVisible(False)
                continue
            ref, t, error = self.results[i]
            label.setVisible(True)
            if t is None:
                label.setText(f"<b>{ref}</b><br><span style='color:#a00'>{error}</span>")
                heat.setVisible(False)
                continue
            best = t.best
            label.setText(f"<b>{ref}</b><br><span style='font-size:15px'>{best.text}</span><br>"
                          f"<small>score {best.score:.3f} · log-prob {best.logprob:.3f}</small>")
            heat.setVisible(bool(best.cross_attention.size))
            if best.cross_attention.size:
                heat.set_data(mean_or_head(best.cross_attention, -1, -1), best.tokens, t.source_tokens, levels=(0.0, 1.0))
            else:
                label.setText(label.text() + "<br><i>no attention: one vector carries the sentence</i>")

    def current_state(self) -> dict:
        return {"models": self.refs(), "text": self.edit.text()}

    def apply_state(self, state: dict) -> dict | None:
        text = take(state, "text", as_str)
        if text is not None:
            self.edit.setText(text)
        models = state.get("models")
        if isinstance(models, list) and all(isinstance(m, str) for m in models):
            self.models.setText(", ".join(models[:MAX_MODELS]))
        return None


VIEW = CompareView

if __name__ == "__main__":
    raise SystemExit(run_standalone(CompareView))
