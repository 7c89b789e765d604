"""What the projector shows, as an evented model (mlsp_gui/evented.py) that the projector view and
its panels subscribe to: the source row, the projection row and the side panel write their
choices here and follow it, so a script (a guided lesson) sets the projector the same way a user
does, and the view reacts to the model, not to the widgets.

    source     id of the vector source (engine.projection.sources), "" until the source row sets it
    model      the model reference the source runs on ("" until the source row sets it)
    method     "pca" | "tsne" | "umap";  dims  2 | 3
    params     the method's parameters: perplexity, iterations, neighbors, min_dist, epochs, metric
               (setting some keeps the others)
    color_by   the metadata column the points are coloured by ("" for none)
    search     the label search; regex: whether it is a regular expression
    selected   the clicked point's row (-1: none), whose neighbours are listed
    region     the rows selected with the rectangle or lasso (read-only int64 array)
    k, nn_metric   how many nearest neighbours, by "cosine" or "euclidean" distance
    mode       the mouse tool: "pan" | "rect" | "lasso"
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal

from mlsp_gui.evented import EventedModel, as_bool, as_str, indices, int_in, one_of

METHODS = ("pca", "tsne", "umap")
MODES = ("pan", "rect", "lasso")
PARAM_CHECKS = {
    "perplexity": lambda v: float(_number(v, 1.0, 500.0)),
    "iterations": lambda v: int(_number(v, 251, 100_000, integer=True)),
    "neighbors": lambda v: int(_number(v, 2, 500, integer=True)),
    "min_dist": lambda v: float(_number(v, 0.0, 1.0)),
    "epochs": lambda v: int(_number(v, 0, 10_000, integer=True)),
    "metric": lambda v: one_of(("euclidean", "cosine"))(v),
}


def _number(value: Any, lo: float, hi: float, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("a number")
    if not lo <= value <= hi or (integer and float(value) != int(value)):
        raise ValueError(f"a number from {lo} to {hi}")
    return value


def projection_params(value: Any) -> dict[str, Any]:
    """The usable entries of a parameters dict (unknown keys and bad values are left out)."""
    if not isinstance(value, dict):
        raise TypeError("an object of projection parameters")
    out = {}
    for name, check in PARAM_CHECKS.items():
        if name in value:
            try:
                out[name] = check(value[name])
            except (TypeError, ValueError):
                continue
    return out


def selected_row(value: Any) -> int:
    return int_in(-1, 2**62)(value)


class ProjectorState(EventedModel):
    FIELDS = {"source": "", "model": "", "method": "pca", "dims": 2, "params": {}, "color_by": "",
              "search": "", "regex": False, "selected": -1, "region": indices([]), "k": 10,
              "nn_metric": "cosine", "mode": "pan"}
    CHECKS = {"source": as_str, "model": as_str, "method": one_of(METHODS), "dims": one_of((2, 3)),
              "params": projection_params, "color_by": as_str, "search": as_str, "regex": as_bool,
              "selected": selected_row, "region": indices, "k": int_in(1, 1000),
              "nn_metric": one_of(("cosine", "euclidean")), "mode": one_of(MODES)}
    source_changed = Signal(object)
    model_changed = Signal(object)
    method_changed = Signal(object)
    dims_changed = Signal(object)
    params_changed = Signal(object)
    color_by_changed = Signal(object)
    search_changed = Signal(object)
    regex_changed = Signal(object)
    selected_changed = Signal(object)
    region_changed = Signal(object)
    k_changed = Signal(object)
    nn_metric_changed = Signal(object)
    mode_changed = Signal(object)

    def set(self, name: str, value: Any) -> bool:
        """As EventedModel.set; `params` given in part keep the other parameters."""
        if name == "params":
            value = {**self.get("params"), **projection_params(value)}
        return super().set(name, value)
