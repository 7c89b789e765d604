"""The run form, generated from a real model's config dataclass (toy-mlp's ToyConfig): defaults
filled in, invalid values marked before anything starts, the trainer's own checks applied."""
import dataclasses
import inspect

import pytest

from engine.models.toy_mlp import ToyConfig
from mlsp_gui.context import AppContext
from mlsp_gui.training.config_fields import ConfigField, describe_config, parse_value
from mlsp_gui.views.training import TrainingView


@pytest.fixture
def fresh(qtbot, tmp_path):
    """A training view as it opens: the trainable models listed, nothing chosen by the test."""
    ctx = AppContext.create()
    v = TrainingView(ctx)
    qtbot.addWidget(v)
    v.set_runs_dir(str(tmp_path / "runs"))
    v.show()
    qtbot.waitUntil(lambda: v.form.model_box.count() > 1, timeout=30000)
    yield v
    v.shutdown()
    ctx.jobs.wait()


@pytest.fixture
def view(qtbot, fresh):
    fresh.form.select_model("toy-mlp")
    qtbot.waitUntil(lambda: fresh.form.config_widget("hidden") is not None, timeout=30000)
    return fresh


def test_describe_config_lists_every_field_with_its_default():
    fields = {f.name: f for f in describe_config("engine.models.toy_mlp:ToyConfig")}
    expected = {f.name: f.default for f in dataclasses.fields(ToyConfig)}
    assert {n: f.default for n, f in fields.items()} == expected
    assert fields["hidden"].kind == "int" and fields["dropout"].kind == "float"
    source = inspect.getsource(ToyConfig).splitlines()
    helped = [f for f in fields.values() if f.help]
    assert helped                                       # the fields' trailing comments are their help
    for f in helped:
        line = next(ln for ln in source if ln.strip().startswith(f"{f.name}:"))
        assert line.split("#", 1)[1].strip() == f.help


def test_parse_value_refuses_what_the_type_cannot_hold():
    f_int = ConfigField("hidden", "int", 64)
    assert parse_value(f_int, " 12 ") == 12
    with pytest.raises(ValueError):
        parse_value(f_int, "1.5")
    f_float = ConfigField("noise", "float", 0.3)
    with pytest.raises(ValueError):
        parse_value(f_float, "nan")
    f_choice = ConfigField("kind", "choice", "a", choices=("a", "b"))
    with pytest.raises(ValueError):
        parse_value(f_choice, "c")
    assert parse_value(ConfigField("n", "int", None, optional=True), "") is None


def test_a_new_form_offers_a_real_model_first(qtbot, fresh):
    form = fresh.form
    ids = [form.model_box.itemData(i) for i in range(form.model_box.count())]
    assert "toy-mlp" in ids and form.model_id() == "word2vec"
    qtbot.waitUntil(lambda: form.data_box.currentText() != "", timeout=30000)
    assert form.data_box.currentText().startswith("builtin:")
    reads = [j for j in fresh.ctx.jobs.jobs() if j.name.startswith("Read the config of")]
    assert [j.name for j in reads] == ["Read the config of word2vec"]     # read once, not once per signal


def test_form_is_generated_with_the_defaults_filled_in(view):
    form = view.form
    assert form.model_id() == "toy-mlp"
    assert form.data_box.currentText() == "builtin:sines"
    helps = {f.name: f.help for f in describe_config("engine.models.toy_mlp:ToyConfig")}
    for f in dataclasses.fields(ToyConfig):
        assert form.config_widget(f.name).text() == str(f.default)
        assert form.config_widget(f.name).toolTip() == helps[f.name]
    req = form.request()
    assert req is not None and req.overrides == {}
    assert req.options() == ["--data", "builtin:sines", "--device", form.device_box.currentText()]


def test_changed_values_become_set_options(view):
    form = view.form
    form.config_widget("hidden").setText("16")
    form.train_edit("steps").setText("20")
    form.train_edit("lr").setText("0.01")
    req = form.request()
    assert req.overrides == {"hidden": 16}
    opts = req.options()
    assert opts[opts.index("--steps") + 1] == "20" and opts[opts.index("--lr") + 1] == "0.01"
    assert opts[opts.index("--set") + 1] == "hidden=16"


def test_invalid_values_are_marked_and_nothing_starts(view, qtbot, tmp_path):
    form = view.form
    form.train_edit("batch_size").setText("0")
    form.train_edit("steps").setText("ten")
    form.config_widget("hidden").setText("1.5")
    for widget in (form.train_edit("batch_size"), form.train_edit("steps"), form.config_widget("hidden")):
        assert widget.property("invalid") is True
        assert widget.toolTip()
    assert form.train_edit("lr").property("invalid") is not True
    assert form.request() is None
    assert not view.start_run()
    assert "batch_size" in form.error_label.text() and "hidden" in form.error_label.text()
    assert not view.proc.is_running() and view.proc.state == "idle"
    form.train_edit("batch_size").setText("8")
    assert form.train_edit("batch_size").property("invalid") is False
    form.config_widget("window").setText("x")
    assert "whole number" in form.config_widget("window").toolTip()
    form.config_widget("window").setText("16")                    # fixed: the field's help is back
    help_text = {f.name: f.help for f in describe_config("engine.models.toy_mlp:ToyConfig")}["window"]
    assert help_text and form.config_widget("window").toolTip() == help_text


def test_the_configs_own_check_refuses_before_start(view, qtbot, tmp_path):
    """dropout 1.5 parses as a number, but ToyConfig refuses it: the field is marked, no process."""
    form = view.form
    form.config_widget("dropout").setText("1.5")
    assert form.request() is not None                  # a valid float ...
    assert view.start_run()                            # ... so the check job runs
    qtbot.waitUntil(lambda: form.config_widget("dropout").property("invalid") is True, timeout=30000)
    assert "dropout" in form.error_label.text()
    assert view.proc.state == "idle"
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())
    assert view.start_button.isEnabled()


def test_steps_and_epochs_together_are_refused(view):
    view.form.train_edit("steps").setText("10")
    view.form.train_edit("epochs").setText("2")
    assert view.form.request() is None
    assert view.form.train_edit("epochs").property("invalid") is True
