"""Views: one file per view, each a `View` subclass named by the module's `VIEW` attribute.

The window discovers them, so adding a view touches no other file. A view module imports
neither torch nor the engine's heavy modules (records from `engine.records` are fine).
Every view can be opened on its own: `python -m mlsp_gui.views.NAME`.
"""
from __future__ import annotations

import importlib
import pkgutil
import traceback

_ERRORS: dict[str, str] = {}


def available_views() -> list[type]:
    """Every view class, ordered by `View.order` then title.

    A view module that fails to import is left out (the window reports it through
    `discovery_errors()`), so one broken view never keeps the window from opening."""
    found = []
    _ERRORS.clear()
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except Exception:
            _ERRORS[info.name] = traceback.format_exc()
            continue
        cls = getattr(module, "VIEW", None)
        if cls is not None:
            found.append(cls)
    return sorted(found, key=lambda c: (c.order, c.title))


def discovery_errors() -> dict[str, str]:
    """Module name -> traceback for the view modules the last `available_views()` could not import."""
    return dict(_ERRORS)
