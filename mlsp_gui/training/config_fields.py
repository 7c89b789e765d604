"""What the run form needs to know about a model's config dataclass, as plain frozen records.

`describe_config("module:Config")` imports the model module (which may import torch), so the
form calls it inside a job. `parse_value` turns what the user typed back into a typed value,
or raises ValueError with a short reason the form shows next to the field.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import types
import typing
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConfigField:
    """One editable field: kind is "int", "float", "bool", "str" or "choice"."""

    name: str
    kind: str
    default: Any
    choices: tuple[str, ...] = ()
    optional: bool = False          # None is allowed (an empty box means None)
    help: str = ""


@dataclass(frozen=True)
class TrainableModel:
    """A registry entry the dashboard can train."""

    id: str
    title: str
    modality: str
    config: str | None
    default_data: str | None


@dataclass(frozen=True)
class BuiltinData:
    """A `builtin:NAME` data set the form offers, with the line that describes it."""

    name: str                     # "builtin:grammar"
    modality: str                 # which models can use it ("text")
    description: str = ""


def trainable_models() -> list[TrainableModel]:
    """Every registry entry with a task (cheap: the registry imports no torch)."""
    from engine.zoo import registry

    return [TrainableModel(s.id, s.title, s.modality, s.config, s.default_data)
            for s in registry().values() if s.trainable]


def builtin_data() -> list[BuiltinData]:
    """The built-in text corpora (`engine.data.corpora.list_builtin`); none when the engine has none."""
    try:
        from engine.data.corpora import list_builtin
    except ImportError:
        return []

    return [BuiltinData(f"builtin:{c.name}", "text", c.description) for c in list_builtin()]


def _kind(tp: Any) -> tuple[str, tuple[str, ...], bool]:
    """(kind, choices, optional) of a type hint."""
    optional = False
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = len(args) < len(typing.get_args(tp))
        tp = args[0] if len(args) == 1 else str
        origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(tp)), optional
    for kind, py in (("bool", bool), ("int", int), ("float", float)):
        if tp is py:
            return kind, (), optional
    return "str", (), optional


def field_comments(cls: type) -> dict[str, str]:
    """The trailing `# comment` of each field in the class's source (its help text), if any."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    found = re.findall(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+?)\s*$", source, flags=re.MULTILINE)
    return {name: text for name, text in found}


def describe_config(import_path: str) -> list[ConfigField]:
    """The fields of the config dataclass at "module:Class", defaults filled in, with their help
    from the field's metadata or, failing that, its trailing comment in the source."""
    module_name, _, cls_name = import_path.partition(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    hints = typing.get_type_hints(cls)
    comments = field_comments(cls)
    out = []
    for f in dataclasses.fields(cls):
        if not f.init or f.name.startswith("_"):
            continue
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        kind, choices, optional = _kind(hints.get(f.name, str))
        if kind == "str" and not isinstance(default, (str, type(None))):
            continue                     # lists, nested dataclasses: not editable in a line
        out.append(ConfigField(f.name, kind, default, choices, optional or default is None,
                               str(f.metadata.get("help", "") or comments.get(f.name, ""))))
    return out


def check_config(import_path: str, values: dict[str, Any]) -> None:
    """Build the config dataclass with `values`; raises what its own checks raise."""
    module_name, _, cls_name = import_path.partition(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    cls(**values)


def parse_value(field: ConfigField, text: str) -> Any:
    """The typed value of what the user typed; ValueError(reason) when it is not one."""
    text = text.strip()
    if text == "" and field.optional:
        return None
    if field.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError("a whole number is needed") from None
    if field.kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError("a number is needed") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("a finite number is needed")
        return value
    if field.kind == "choice":
        if text not in field.choices:
            raise ValueError("one of " + ", ".join(field.choices))
        return text
    if field.kind == "bool":
        return text.lower() in ("1", "true", "yes", "on")
    return text


def format_value(value: Any) -> str:
    """How a value is written in a line edit and on the command line (`--set key=value`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
