"""What every dock and view is handed: the session, the job manager, the model store, notices."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mlsp_gui.jobs import JobManager
from mlsp_gui.models import ModelStore
from mlsp_gui.session import Session


@dataclass
class AppContext:
    session: Session
    jobs: JobManager
    models: ModelStore
    notify: Callable[[str, str], None]      # (level: "info"|"warning"|"error", message) -> shows a non-modal notice

    @classmethod
    def create(cls, notify: Callable[[str, str], None] | None = None) -> "AppContext":
        jobs = JobManager()
        return cls(session=Session(), jobs=jobs, models=ModelStore(jobs),
                   notify=notify or (lambda level, msg: None))
