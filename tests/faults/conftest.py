"""The fault suite uses the window fixtures of tests/gui (private settings and data folders,
`make_main_window` with its leak checks), loaded from that folder's conftest under another name."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_GUI = Path(__file__).resolve().parents[1] / "gui"
sys.path.insert(0, str(_GUI))                 # qt_events, input_files
_spec = importlib.util.spec_from_file_location("_mlsp_gui_test_fixtures", _GUI / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _fixtures
_spec.loader.exec_module(_fixtures)

_collect_garbage_on_the_gui_thread = _fixtures._collect_garbage_on_the_gui_thread
_private_qsettings = _fixtures._private_qsettings
app_dirs = _fixtures.app_dirs
make_main_window = _fixtures.make_main_window
