"""Start-up of a training run (issue 13, defect 12), on this machine:

1. The whole `mlsp train word2vec` process against gensim's `Word2Vec` process on the same corpus
   (the first ~330,000 words of the corpus of benchmarks/word2vec_vs_gensim.py: gensim's enwiki
   sample and Lee news corpus), same hyper-parameters (skip-gram, 100 dimensions, window 5,
   5 negatives, min_count 5, sample 1e-3, 5 epochs, 2 threads): seconds from spawn to exit, and
   for ours the seconds from spawn to the first step event. Runs alternate; medians are printed.
2. In the window (offscreen): Training view, `--model` (toy-mlp, or word2vec on its default
   1.2 M-word corpus, whose tokenised stream is cached by content after the first, untimed, run),
   Start pressed → the first step event reaching the view, with the warm trainer process waiting (the default) and without it
   (MLSP_WARM_TRAINER=0 behaviour: a fresh `python -m engine.cli train` per run). The warm worker
   is given 10 s to import before Start, as a user opening the tab and choosing a model would.
   Goal: under 1.5 s warm.

    python benchmarks/train_startup.py [--repeats 3] [--model toy-mlp|word2vec] [--skip-window] [--skip-cli]
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

GENSIM = r"""
import sys
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
m = Word2Vec(LineSentence(sys.argv[1]), vector_size=100, window=5, negative=5, min_count=5, sample=1e-3,
             epochs=5, sg=1, workers=2, alpha=0.025, min_alpha=0.0001, seed=0)
m.save(sys.argv[2])
"""


def corpus(folder: Path, words: int = 330_000) -> Path:
    from word2vec_vs_gensim import build_corpus

    _, lines = build_corpus(folder)
    out, n = [], 0
    for t in lines:
        out.append(" ".join(t))
        n += len(t)
        if n >= words:
            break
    path = folder / "news330k.txt"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def ours(data: Path, out: Path) -> tuple[float, float]:
    """(spawn → first step event, spawn → exit) of `mlsp train word2vec --json`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "engine.cli", "train", "word2vec", "--data", str(data), "--out", str(out),
                          "--json"], stdout=subprocess.PIPE, text=True, env=env)
    first = 0.0
    for line in p.stdout:
        if not first and json.loads(line).get("event") == "step":
            first = time.perf_counter() - t0
    if p.wait() != 0:
        raise SystemExit("mlsp train failed")
    return first, time.perf_counter() - t0


def gensim_run(data: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", GENSIM, str(data), str(out)], check=True)
    return time.perf_counter() - t0


def window_first_step(warm: bool, tmp: Path, model: str) -> float:
    """Seconds from the Training view's Start to the first step event in the window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.update(MLSP_HOME=str(tmp / "home"), MLSP_RUNS=str(tmp / "home" / "runs"),
                      MLSP_SETTINGS_DIR=str(tmp / "settings"), MLSP_WARM_TRAINER="1" if warm else "0")
    from PySide6.QtWidgets import QApplication

    from mlsp_gui.context import AppContext
    from mlsp_gui.views.training import TrainingView

    app = QApplication.instance() or QApplication([])
    view = TrainingView(AppContext.create())
    view.resize(1400, 880)
    view.show()

    def wait(cond, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while not cond() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    form = view.form
    wait(lambda: form.model_box.count() > 0, 60)
    form.select_model(model)
    wait(lambda: form.config_widget("dim" if model == "word2vec" else "hidden") is not None, 60)
    form.device_box.setCurrentText("cpu")
    form.train_edit("steps").setText("50")
    wait(lambda: False, 10.0)                              # the user chooses; the worker imports
    first: list[float] = []
    view.proc.event.connect(lambda e: first.append(time.perf_counter()) if e.kind == "step" and not first else None)
    t0 = time.perf_counter()
    view.start_button.click()
    wait(lambda: bool(first), 120)
    wait(lambda: view.proc.state not in ("running", "stopping"), 120)
    used_warm = view.proc.warm_started
    view.shutdown()
    view.close()
    view.deleteLater()
    app.processEvents()
    if used_warm != warm:
        raise SystemExit(f"expected warm={warm}, the run started warm={used_warm}")
    return first[0] - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--model", default="toy-mlp", choices=("toy-mlp", "word2vec"))
    p.add_argument("--skip-window", action="store_true")
    p.add_argument("--skip-cli", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_cli:
            data = corpus(tmp)
            ours(data, tmp / "warmup")                     # disk cache, kernel build
            firsts, totals, gens = [], [], []
            for i in range(args.repeats):
                gens.append(gensim_run(data, tmp / f"g{i}.model"))
                f, t = ours(data, tmp / f"run{i}")
                firsts.append(f)
                totals.append(t)
            g, o = statistics.median(gens), statistics.median(totals)
            print(f"whole process, {args.repeats} alternating runs (medians): mlsp train word2vec {o:.2f} s "
                  f"(first step at {statistics.median(firsts):.2f} s) vs gensim {g:.2f} s: ratio {o / g:.2f} (goal <= 1)",
                  flush=True)
        if not args.skip_window:
            cold, warm = [], []
            window_first_step(True, tmp / "w", args.model)                # fills the corpus cache (word2vec)
            for _ in range(args.repeats):
                cold.append(window_first_step(False, tmp / "w", args.model))
                warm.append(window_first_step(True, tmp / "w", args.model))
            print(f"window, {args.model}, Start -> first step (medians of {args.repeats}): warm worker "
                  f"{statistics.median(warm):.2f} s, "
                  f"fresh process {statistics.median(cold):.2f} s (goal warm < 1.5 s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
