"""How fast does `mlsp models --json` answer, and does it stay away from torch? The registry is
read from declarations only (capabilities, input and output kinds), so listing models must not
import torch. Measured from process spawn, beside `python -c "import torch"` and a bare
`python -c "pass"` in the same run on the same machine.

Goal: under 0.5 s, and no torch import.

    python benchmarks/models_listing.py --runs 5
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTING = ("import sys, io, contextlib\nfrom engine.cli import main\nbuf = io.StringIO()\n"
           "with contextlib.redirect_stdout(buf):\n    main(['models', '--json'])\n"
           "print('TORCH=' + str('torch' in sys.modules))\n")


def timed(code: str) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return elapsed, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rows = {"python -c pass": [], "mlsp models --json": [], "import torch": []}
    torch_loaded = set()
    for _ in range(args.runs):
        rows["python -c pass"].append(timed("pass")[0])
        t, out = timed(LISTING)
        rows["mlsp models --json"].append(t)
        torch_loaded.add(out.strip().rsplit("TORCH=", 1)[-1])
        rows["import torch"].append(timed("import torch")[0])
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(json.dumps({"median_s": {k: round(v, 3) for k, v in med.items()},
                      "listing_vs_torch": round(med["mlsp models --json"] / med["import torch"], 3),
                      "torch_imported": sorted(torch_loaded)}, indent=2))


if __name__ == "__main__":
    main()
