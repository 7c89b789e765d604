"""How fast does the window appear? Time from process start to the main window's first paint
(`python -m mlsp_gui --startup-report`, which prints time.time() from the window's first paint
event), and, in the same run on the same machine, the time of `python -c "import torch"`.
Both are measured from the moment the process is spawned, so both include interpreter start-up.

Goal: the window is painted in less than half the time torch alone takes to import.

    python benchmarks/startup.py                        # offscreen; also xcb when DISPLAY is set
    xvfb-run -a -s "-screen 0 1600x1000x24" python benchmarks/startup.py --runs 5
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(platform: str, home: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=platform, MLSP_HOME=str(home / "home"),
               MLSP_SETTINGS_DIR=str(home / "settings"), PYTHONPATH=str(ROOT))
    return env


def window_times(platform: str) -> dict[str, float]:
    """Seconds from spawn to first paint and to 'views built', one fresh process, fresh settings."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.time()
        out = subprocess.run([sys.executable, "-m", "mlsp_gui", "--startup-report", "--quit-after", "ready"],
                             env=_env(platform, Path(tmp)), capture_output=True, text=True, timeout=300, cwd=tmp)
    if out.returncode != 0:
        raise SystemExit(f"the window did not start under {platform}:\n{out.stderr[-2000:]}")
    times, loaded = {}, {}
    for line in out.stdout.splitlines():
        if line.startswith("MLSP_STARTUP "):
            _, what, stamp, mods = line.split(" ")[:4]
            times[what] = float(stamp) - start
            loaded[what] = mods.removeprefix("loaded=")
    if "torch" in loaded.get("paint", ""):
        raise SystemExit("torch was imported before the first paint: the start-up contract is broken")
    return times


def torch_import_time() -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", "import torch"], check=True, timeout=300)
    return time.time() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (median reported)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    args = p.parse_args()
    platforms = ["offscreen"] + (["xcb"] if os.environ.get("DISPLAY") else [])
    samples: dict[str, list[float]] = {"torch": []}
    window_times(platforms[0])                                   # warm the disk cache for both sides
    torch_import_time()
    for _ in range(args.runs):                                   # interleaved, so load drifts hit both
        samples["torch"].append(torch_import_time())
        for platform in platforms:
            t = window_times(platform)
            samples.setdefault(f"paint:{platform}", []).append(t["paint"])
            samples.setdefault(f"ready:{platform}", []).append(t["ready"])
    median = {k: statistics.median(v) for k, v in samples.items()}
    result = {"runs": args.runs, "median_s": median,
              "ratio_paint_to_torch": {pl: median[f"paint:{pl}"] / median["torch"] for pl in platforms},
              "goal": "paint / torch < 0.5"}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"median of {args.runs} runs, seconds from process spawn")
    print(f"  python -c 'import torch'          {median['torch']:.3f}")
    for pl in platforms:
        print(f"  window first paint ({pl:9s})     {median[f'paint:{pl}']:.3f}   "
              f"ratio {result['ratio_paint_to_torch'][pl]:.2f} (goal < 0.5)")
        print(f"  views built        ({pl:9s})     {median[f'ready:{pl}']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
