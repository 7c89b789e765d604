"""What every attention view of a window shares, as an evented model owned by the AppContext
(`ctx.attention`): sentence B of a pair and the number of tokens a causal model generates after
the text. The probe bar above each attention view edits it; every attention view re-probes when
it changes; a script (a guided lesson) sets it the same way.

Which stack, layer, head and query token a view shows is that view's own state (its
`view_state()` / `restore_state()`): two heatmaps may show two heads side by side.
"""
from __future__ import annotations

from PySide6.QtCore import Signal

from mlsp_gui.evented import EventedModel, as_str, int_in

MAX_GENERATE = 64


class AttentionOptions(EventedModel):
    """`pair` (sentence B, "" for none) and `generate` (0..64 tokens); one signal per field.

    `open_head(record, stack, layer, head)` asks the heatmap view to show one head of a record
    (head -1: the mean of the heads); `request_open` says whether a heatmap took it."""

    FIELDS = {"pair": "", "generate": 0}
    CHECKS = {"pair": as_str, "generate": int_in(0, MAX_GENERATE)}
    pair_changed = Signal(object)
    generate_changed = Signal(object)
    open_head = Signal(object, int, int, int)

    def __init__(self, parent=None, **values) -> None:
        super().__init__(parent, **values)
        self.opened = False               # set by the heatmap view when it handled `open_head`

    def request_open(self, record, stack: int, layer: int, head: int) -> bool:
        """Ask the heatmap view to show one head; False when no heatmap view is open."""
        self.opened = False
        self.open_head.emit(record, stack, layer, head)
        return self.opened
