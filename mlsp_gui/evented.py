"""Small evented models: named fields with defaults, one `<field>_changed` signal per field, emitted
only on a real change, and never a widget inside (napari's `components/dims.py`, magicgui's evented
dataclasses). Panels and views subscribe to a model and write to it; nobody sets attributes on
somebody else's widgets.

    class Options(EventedModel):
        FIELDS = {"pair": "", "generate": 0}
        CHECKS = {"generate": int_in(0, 64)}
        pair_changed = Signal(object)
        generate_changed = Signal(object)

    options.generate            # read a field
    options.set("generate", 3)  # or options.set_generate(3); a value CHECKS refuses raises ValueError
    options.restore({...})      # tolerant: unknown keys and unusable values are skipped
    options.as_dict()           # JSON-able
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
from PySide6.QtCore import QObject, Signal


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and bool(np.all(a == b))
    return type(a) is type(b) and a == b


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


class EventedModel(QObject):
    """Subclasses declare FIELDS (name -> default), optional CHECKS (name -> function that returns
    the value to store or raises ValueError/TypeError) and a `<name>_changed = Signal(object)` per
    field. `changed(name)` follows every field's own signal."""

    FIELDS: ClassVar[dict[str, Any]] = {}
    CHECKS: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    changed = Signal(str)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.FIELDS:
            if not hasattr(cls, f"{name}_changed"):
                raise TypeError(f"{cls.__name__} declares field {name!r} without a {name}_changed signal")
            if not hasattr(cls, name):
                setattr(cls, name, property(lambda self, n=name: self._values[n], doc=f"The {name} field."))
            if not hasattr(cls, f"set_{name}"):
                setattr(cls, f"set_{name}", lambda self, value, n=name: self.set(n, value))

    def __init__(self, parent: QObject | None = None, **values: Any) -> None:
        super().__init__(parent)
        self._values: dict[str, Any] = {name: self._check(name, default) for name, default in self.FIELDS.items()}
        self.update(**values)

    def _check(self, name: str, value: Any) -> Any:
        if name not in self.FIELDS:
            raise KeyError(f"{type(self).__name__} has no field {name!r}")
        check = self.CHECKS.get(name)
        return check(value) if check is not None else value

    def get(self, name: str) -> Any:
        return self._values[name]

    def set(self, name: str, value: Any) -> bool:
        """Set one field; emits `<name>_changed(value)` and `changed(name)` when it really changed."""
        value = self._check(name, value)
        if _same(self._values[name], value):
            return False
        self._values[name] = value
        getattr(self, f"{name}_changed").emit(value)
        self.changed.emit(name)
        return True

    def update(self, **values: Any) -> list[str]:
        """Set several fields (in the order given); returns the names that changed."""
        return [name for name, value in values.items() if self.set(name, value)]

    def restore(self, values: Any) -> list[str]:
        """Set what can be used of a saved dict: unknown keys and values the checks refuse are skipped."""
        changed: list[str] = []
        if not isinstance(values, dict):
            return changed
        for name, value in values.items():
            if name in self.FIELDS:
                try:
                    if self.set(name, value):
                        changed.append(name)
                except (ValueError, TypeError):
                    continue
        return changed

    def as_dict(self) -> dict[str, Any]:
        return {name: _jsonable(value) for name, value in self._values.items()}


# checks ------------------------------------------------------------------------------------------
def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a string")
    return value


def as_bool(value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError("true or false")
    return bool(value)


def int_in(lo: int, hi: int) -> Callable[[Any], int]:
    """An integer in [lo, hi] (floats with no fraction count; bools do not)."""
    def check(value: Any) -> int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError("an integer")
        if float(value) != int(value) or not lo <= int(value) <= hi:
            raise ValueError(f"an integer from {lo} to {hi}")
        return int(value)
    return check


def float_in(lo: float, hi: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError("a number")
        if not lo <= float(value) <= hi:
            raise ValueError(f"a number from {lo} to {hi}")
        return float(value)
    return check


def one_of(choices: Sequence[Any]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        for choice in choices:
            if _same(choice, value) or (isinstance(choice, int) and isinstance(value, int) and choice == value):
                return choice
        raise ValueError(f"one of {', '.join(map(repr, choices))}")
    return check


def indices(value: Any) -> np.ndarray:
    """Row indices (any sequence of non-negative integers) as a read-only int64 array."""
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer):
        if value.size and value.min() < 0:
            raise ValueError("non-negative integers")
        out = value.astype(np.int64, copy=True).ravel()
        out.setflags(write=False)
        return out
    if not isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError("a list of row indices")
    arr = np.asarray(value, dtype=object).ravel()
    if arr.size and not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 0 for v in arr):
        raise ValueError("non-negative integers")
    out = np.asarray(arr.tolist(), dtype=np.int64).ravel()
    out.setflags(write=False)
    return out
