"""What the main window's menus do: open files and folders, new text, sessions, checkpoints,
settings and About. A mixin of MainWindow, kept apart so that window.py stays about layout.

Every dialog that picks something goes through `QFileDialog`'s static functions (tests replace
them); dialogs of our own open with `open()`, so none of them blocks the event loop."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from mlsp_gui.session_io import SessionChecks, read_session, snapshot, write_session

SESSION_FILTER = "MLSP Explorer sessions (*.mlsp-session.json *.json)"
SESSION_SUFFIX = ".mlsp-session.json"
CHECKPOINT_FILTER = "Checkpoints (*.safetensors *.pt *.pth *.bin *.ckpt);;Any file (*)"


class WindowActions:
    """Mixed into MainWindow (which provides ctx, settings, loader, notify, menus, views)."""

    # inputs -------------------------------------------------------------------------------------
    def open_paths(self, paths: list[str]) -> int:
        """Load files and folders through jobs (what Open, Recent files and drag and drop call)."""
        if paths:
            self.settings.last_folder = str(Path(paths[0]).expanduser().parent)
        return self.loader.open_paths([str(p) for p in paths])

    def open_files_dialog(self) -> None:
        from mlsp_gui.inputs import file_dialog_filters

        paths, _ = QFileDialog.getOpenFileNames(self, "Open text, audio or images", self.settings.last_folder,
                                                file_dialog_filters())
        if paths:
            self.open_paths(paths)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open every text, audio and image file of a folder",
                                                  self.settings.last_folder)
        if folder:
            self.settings.last_folder = folder
            self.loader.open_paths([folder])

    def _remember_recent(self, path: str) -> None:
        self.settings.add_recent(path)
        self.menus.refresh_recent()

    def new_text_dialog(self):
        """A non-blocking dialog; on OK the text becomes a new input (and the current one)."""
        from mlsp_gui.dialogs.new_text import NewTextDialog

        dialog = NewTextDialog(self.loader.next_text_name(), self)
        dialog.accepted.connect(lambda: self.loader.add_text(dialog.values()[1], dialog.values()[0]))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def record_dialog(self):
        """The (non-modal) Record dialog; a kept recording opens as an audio input."""
        from mlsp_gui.dialogs.record_dialog import RecordDialog

        existing = getattr(self, "_record_dialog", None)
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        dialog = RecordDialog(str(self.data_dir / "recordings"), self)
        dialog.recorded.connect(lambda info: self.loader.open_file(info.path, recording=True))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._record_dialog = dialog
        dialog.show()
        return dialog

    # sessions -----------------------------------------------------------------------------------
    def save_session(self) -> Path | None:
        if self.session_path is None:
            return self.save_session_as()
        return self.save_session_to(self.session_path)

    def save_session_as(self) -> Path | None:
        start = str(self.session_path or Path(self.settings.last_folder or Path.home()) / f"session{SESSION_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self, "Save session", start, SESSION_FILTER)
        if not path:
            return None
        if not path.endswith(".json"):
            path += SESSION_SUFFIX
        return self.save_session_to(Path(path))

    def save_session_to(self, path: Path) -> Path | None:
        try:
            saved = write_session(path, snapshot(self.ctx.session, self.views.view_states()))
        except OSError as exc:
            self.ctx.jobs.add_failed(f"Save session {Path(path).name}",
                                     f"cannot write {path}: {exc.strerror or exc}; choose another folder.")
            return None
        self.session_path = saved
        self.setWindowTitle(f"MLSP Explorer — {saved.name}")
        self.notify("info", f"Session saved to {saved}")
        return saved

    def open_session_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", self.settings.last_folder, SESSION_FILTER)
        if path:
            self.open_session(path)

    def open_session(self, path: str | Path) -> bool:
        """Replace what is open with a saved session; a bad file changes nothing and says why."""
        from engine.errors import MlspError

        try:
            snap = read_session(path, self.session_checks())
        except MlspError as exc:
            self.ctx.jobs.add_failed(f"Open session {Path(path).name}", str(exc))
            return False
        self.apply_snapshot(snap)
        self.session_path = Path(path)
        self.setWindowTitle(f"MLSP Explorer — {Path(path).name}")
        return True

    def session_checks(self) -> SessionChecks:
        """What a session file is checked against before any of it is applied: this window's views,
        the devices found (once known) and the model registry."""
        devices = tuple(self.model_dock.available_devices()) if self.devices is not None else None
        return SessionChecks(views=frozenset(self.views.classes), devices=devices, models=True)

    def apply_snapshot(self, snap) -> None:
        """Inputs, model, device and views of a saved session; each view's state once the inputs are in
        (a view following the current input must not overwrite what was restored)."""
        self.loader.restore(snap, then=lambda: self.views.restore_states(snap.view_states))
        if snap.views and self.is_ready:
            self.views.set_open(list(snap.views))
            for view_id in self.views.classes:
                self.menus.check_view(view_id, view_id in self.views.open_ids())

    def _offer_recovery(self, path: Path) -> None:
        """A non-blocking prompt: restore the session of a run that did not end cleanly."""
        from engine.errors import MlspError

        try:
            snap = read_session(path, self.session_checks())
        except MlspError as exc:
            self.notify("warning", f"MLSP Explorer did not close cleanly, and its autosave cannot be read: {exc}")
            return
        n = len(snap.inputs)
        self.recovery_notice = self.notify(
            "warning", f"MLSP Explorer did not close cleanly last time. Restore the autosaved session "
                       f"({n} input{'s' if n != 1 else ''}, model {snap.model or 'none'})?",
            [("Restore", lambda: self.apply_snapshot(snap)), ("Discard", lambda: None)])

    # models -------------------------------------------------------------------------------------
    def load_checkpoint_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load checkpoint into the chosen model",
                                              self.settings.runs_dir, CHECKPOINT_FILTER)
        if path:
            self.load_checkpoint(path)

    def load_checkpoint(self, path: str) -> None:
        """Weights of `path` into the chosen model (minilm when none); a run folder loads as a model."""
        if Path(path).is_dir():
            self.load_model_folder(path)
            return
        ref = self.model_dock.current_ref()
        self.ctx.session.set_model(ref)
        self.ctx.models.load_checkpoint(ref, self.ctx.session.device, path)

    def load_run_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Load a training run folder", self.settings.runs_dir)
        if folder:
            self.load_model_folder(folder)

    def load_hf_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a HuggingFace-format model folder",
                                                  self.settings.last_folder)
        if folder:
            self.load_model_folder(folder, prefix="hf:")

    def load_model_folder(self, folder: str, prefix: str = "") -> None:
        """A run folder (its newest checkpoint) or a HuggingFace folder as the chosen model."""
        ref = prefix + str(Path(folder).expanduser())
        previous, device, store = self.ctx.session.model, self.ctx.session.device, self.ctx.models
        self.model_dock.add_reference(ref, Path(folder).name)
        if store.cached(ref, device) is not None or ref == previous:
            store.get(ref, device)
            return

        def settle(r: str, message: str | None) -> None:
            """A refused folder: the chosen model goes back to the one still in use."""
            if r != ref:
                return
            store.loaded.disconnect(on_loaded)
            store.failed.disconnect(on_failed)
            if message is not None and self.ctx.session.model == ref:
                self.model_dock.remove_reference(ref)
                self.ctx.session.set_model(previous)
                self.notify("warning", f"{Path(folder).name} was not loaded, so the chosen model is "
                                       f"{previous or 'minilm'} again.")

        def on_loaded(r: str, _model) -> None:
            settle(r, None)

        def on_failed(r: str, message: str) -> None:
            settle(r, message)

        store.loaded.connect(on_loaded)
        store.failed.connect(on_failed)
        store.get(ref, device)

    # dialogs ------------------------------------------------------------------------------------
    def settings_dialog(self):
        from engine.paths import default_runs_dir
        from mlsp_gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings.runs_dir, str(default_runs_dir()), self)

        def accept() -> None:
            self.settings.runs_dir = dialog.runs_dir()
            self.notify("info", f"Training runs go to {dialog.runs_dir()}")

        dialog.accepted.connect(accept)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def about_dialog(self) -> QDialog:
        from mlsp_gui.dialogs.about import AboutDialog

        dialog = AboutDialog(self.devices, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
