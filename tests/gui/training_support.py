"""Shared by the Training-view tests: the form set to a tiny toy-mlp run on the CPU."""
from __future__ import annotations


def choose_tiny_toy_mlp(qtbot, view, steps: str, checkpoint_every: str = "") -> None:
    """Select toy-mlp (hidden 8) on the CPU, a step event per step, `steps` steps."""
    form = view.form
    qtbot.waitUntil(lambda: form.model_box.count() > 0, timeout=30000)
    form.select_model("toy-mlp")
    qtbot.waitUntil(lambda: form.config_widget("hidden") is not None, timeout=30000)
    form.device_box.setCurrentText("cpu")
    form.config_widget("hidden").setText("8")
    form.train_edit("steps").setText(steps)
    form.train_edit("log_every").setText("1")
    if checkpoint_every:
        form.train_edit("checkpoint_every").setText(checkpoint_every)
