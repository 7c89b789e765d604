"""Help → About: versions of Python, Qt, PySide6, pyqtgraph, numpy and torch, and the devices found.

torch's version comes from the package metadata, so opening About never imports torch."""
from __future__ import annotations

import platform
import sys
from importlib import metadata

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    from engine import __version__

    return {
        "MLSP Explorer": __version__,
        "Python": f"{platform.python_version()} ({sys.executable})",
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pyqtgraph": _dist_version("pyqtgraph"),
        "numpy": _dist_version("numpy"),
        "torch": _dist_version("torch"),
        "transformers": _dist_version("transformers"),
        "Platform": platform.platform(),
    }


def about_html(devices: list | None) -> str:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in versions().items())
    if devices is None:
        found = "<i>still looking (the device list loads in the background)…</i>"
    else:
        found = "<br>".join(f"{d.name}: {d.description}" for d in devices if d.available) or "none"
    return ("<h3>MLSP Explorer</h3><p>A lab bench for attention, word2vec, transformers and "
            "self-supervised learning.</p>"
            f"<table cellspacing='4'>{rows}</table><p><b>Devices found</b><br>{found}</p>")


class AboutDialog(QDialog):
    def __init__(self, devices: list | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About MLSP Explorer")
        self.label = QLabel(about_html(devices))
        self.label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
