"""Views: one file per view, each a `View` subclass named by the module's `VIEW` attribute.

The window discovers them, so adding a view touches no other file. A view module imports
neither torch nor the engine's heavy modules (records from `engine.records` are fine).
Every view can be opened on its own: `python -m mlsp_gui.views.NAME`.
"""
from __future__ import annotations

import importlib
import pkgutil


def available_views() -> list[type]:
    """Every view class, ordered by `View.order` then title."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        cls = getattr(module, "VIEW", None)
        if cls is not None:
            found.append(cls)
    return sorted(found, key=lambda c: (c.order, c.title))
