"""The part two audio views share (Where the LSTM listens, wav2vec): which model they run — the
session's when it can serve them, else a followed training run, else their shipped default — its
label, and the hooks that re-probe when the current audio, the model or the followed checkpoint
changes. A subclass sets DEFAULT_MODEL, HINT and VERB, and implements `serves(ref)` and `probe()`."""
from __future__ import annotations

import html

from mlsp_gui.views.base import View


class AudioModelView(View):
    DEFAULT_MODEL = ""
    HINT = ""
    VERB = "shows"                       # "The current input is text; this view <VERB> audio."

    def serves(self, ref: str) -> bool:
        raise NotImplementedError

    def probe(self) -> None:
        raise NotImplementedError

    def model_ref(self) -> str:
        """The session's model when this view can use it; else a followed run's folder; else the default."""
        ref = self.ctx.session.model
        if ref and self.serves(ref):
            return ref
        run_dir, _ckpt = self.checkpoint
        return run_dir if run_dir and self.serves(run_dir) else self.DEFAULT_MODEL

    def _update_model_label(self) -> None:
        ckpt = self.checkpoint[1]
        extra = f" · checkpoint {html.escape(ckpt.rstrip('/').split('/')[-1])}" if ckpt else ""
        self.model_label.setText(f"Model: <b>{html.escape(self.model_ref())}</b>{extra}")

    def on_input_changed(self, item) -> None:
        if item is None or item.kind != "audio" or item.record is None:
            if self.audio is None:
                self.hint.setText(self.HINT if item is None else
                                  f"The current input is {html.escape(item.kind)}; this view {self.VERB} audio. "
                                  + self.HINT)
            return
        self.audio = item.record
        self.probe()

    def on_model_changed(self, ref: str) -> None:
        self._update_model_label()
        self.probe()

    def on_checkpoint(self, run_dir: str, checkpoint: str) -> None:
        if self.serves(run_dir):
            self.checkpoint = (run_dir, checkpoint)
            self._update_model_label()
            self.probe()
