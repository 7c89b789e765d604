"""The engine never imports Qt: import every engine module in a fresh interpreter and check."""
import subprocess
import sys

CODE = r"""
import importlib, pkgutil, sys
import engine
for info in pkgutil.walk_packages(engine.__path__, prefix="engine."):
    if info.name.endswith("__main__"):
        continue
    importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "mlsp_gui", "PyQt5", "PyQt6"))
print("LOADED:" + ",".join(bad))
"""


def test_engine_imports_no_qt():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    line = [l for l in out.stdout.splitlines() if l.startswith("LOADED:")][0]
    assert line == "LOADED:", f"engine imported Qt modules: {line}"
