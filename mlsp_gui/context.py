"""What every dock and view is handed: the session, the job manager, the model store, notices, and
the options the attention views share."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlsp_gui.attention_options import AttentionOptions
from mlsp_gui.capabilities import ModelCapabilities
from mlsp_gui.jobs import JobManager
from mlsp_gui.models import ModelStore
from mlsp_gui.session import Session


@dataclass
class AppContext:
    session: Session
    jobs: JobManager
    models: ModelStore
    notify: Callable[[str, str], None]      # (level: "info"|"warning"|"error", message) -> shows a non-modal notice
    settings: Any = None                    # mlsp_gui.settings.AppSettings in the window; None in standalone views
    attention: AttentionOptions = field(default_factory=AttentionOptions)   # sentence B, tokens to generate
    capabilities: ModelCapabilities = field(default_factory=ModelCapabilities)   # which models can serve a view

    def runs_dir(self) -> str:
        """The folder training runs go to (the user's choice in Settings, else the engine default)."""
        if self.settings is not None:
            return self.settings.runs_dir
        from engine.paths import default_runs_dir

        return str(default_runs_dir())

    @classmethod
    def create(cls, notify: Callable[[str, str], None] | None = None, settings: Any = None) -> AppContext:
        jobs = JobManager()
        return cls(session=Session(), jobs=jobs, models=ModelStore(jobs),
                   notify=notify or (lambda level, msg: None), settings=settings)
