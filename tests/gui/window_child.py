"""The real window driven in a child process, so that its Qt Multimedia back-end meets only the
audio server the test started: PRELUDE opens the window and waits until it is ready; the test's
script (which sees `w`, `app`, `spin` and its own `ARGS`) ends by printing `RESULT {json}`."""
from __future__ import annotations

import json
import subprocess
import sys

PRELUDE = r'''
import json, sys, time
from mlsp_gui.app import application, create_window

settings_dir, data_dir, *ARGS = sys.argv[1:]
app = application()
w = create_window(settings_dir, data_dir, open_views=OPEN_VIEWS)
w.show()

def spin(seconds, until=lambda: False):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)

spin(30, lambda: w.is_ready)
'''


def run_window_script(script: str, tmp_path, env: dict, args: list[str], open_views: list[str]) -> dict:
    """Run PRELUDE + `script` with the window's folders under `tmp_path`; the RESULT it printed."""
    (tmp_path / "s").mkdir(exist_ok=True)
    (tmp_path / "d").mkdir(exist_ok=True)
    env = dict(env, QT_QPA_PLATFORM="offscreen", MLSP_HOME=str(tmp_path / "home"), MLSP_GC_FREEZE="0")
    code = f"OPEN_VIEWS = {open_views!r}\n" + PRELUDE + script
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s"), str(tmp_path / "d"), *args],
                          capture_output=True, text=True, env=env, timeout=180)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT "):])
