"""Audio models on a CPU: (1) a 1-s recording classified by lstm-attn, embedded by lstm-attn and
wav2vec-mini, and drawn by the "Where the LSTM listens" view (offscreen Qt) — goal under 100 ms in
all; (2) lstm-attn training samples/s through the trainer against a bare loop doing the same work
(same model, data, collate, AdamW, warm-up + cosine, clipping) in the same run — goal ratio >= 0.95.

    python benchmarks/audio.py [--repeats 20] [--steps 60] [--threads 1] [--skip-training]

Use --threads 1 on a shared machine (see benchmarks/trainer_overhead.py); the CPU-time ratio
(process_time) is then the robust figure.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RATE = 16_000


def one_second_word() -> np.ndarray:
    """A 1-s clip: a word of builtin:words' test split (speakers never trained on)."""
    from engine.data.words import resolve_words

    return resolve_words("builtin:words-small").test.waveforms([7])[0]


def latency(repeats: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) milliseconds of each step on a 1-s recording, and their sums. On a busy machine
    the CPU time (process_time, one thread) is the robust figure: it leaves out waiting for a core."""
    from engine.probes.classify_audio import classify_audio
    from engine.probes.spectrogram import spectrogram
    from engine.probes.utterance import utterance_embedding
    from engine.records.inputs import AudioInput
    from engine.zoo import load_model

    x = one_second_word()
    audio = AudioInput("rec.wav", "recording 1", x, RATE, 1.0, RATE, 1, False, "")
    lstm, w2v = load_model("lstm-attn", "cpu"), load_model("wav2vec-mini", "cpu")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from mlsp_gui.context import AppContext
    from mlsp_gui.views.lstm_listens import Listened, LstmListensView

    app = QApplication.instance() or QApplication([])
    view = LstmListensView(AppContext.create())
    view.resize(1000, 600)
    view.show()
    app.processEvents()
    steps = {
        "classify (lstm-attn)": lambda: classify_audio(lstm, audio),
        "embed frames + utterance (lstm-attn)": lambda: (lstm.embed_audio(audio), utterance_embedding(lstm, audio)),
        "embed frames + utterance (wav2vec-mini)": lambda: (w2v.embed_audio(audio), utterance_embedding(w2v, audio)),
    }
    record = Listened(audio=audio, spectrogram=spectrogram(audio, n_fft=400, hop=160, mels=64),
                      prediction=classify_audio(lstm, audio))

    def draw():
        view.show_record(Listened(audio=audio, spectrogram=spectrogram(audio, n_fft=400, hop=160, mels=64),
                                  prediction=record.prediction))
        view.plots.grab()                                         # really paint it
        app.processEvents()

    steps["spectrogram + draw (view)"] = draw
    out = {}
    for name, fn in steps.items():
        fn()                                                      # warm-up
        wall, cpu = [], []
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
        out[name] = (statistics.median(wall), statistics.median(cpu))
    out["total"] = (sum(v[0] for v in out.values()), sum(v[1] for v in out.values()))
    view.close()
    return out


def trainer_rate(steps: int, batch: int) -> tuple[float, float]:
    """lstm-attn samples/s (wall, CPU) through engine.training, steps after the first fifth."""
    from engine.training.loop import Callback
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    warm = steps // 5
    marks: dict[str, float] = {}

    class Clock(Callback):
        def on_step_end(self, loop, record):
            if record.step in (warm, steps):
                key = "0" if record.step == warm else "1"
                marks["t" + key], marks["c" + key] = time.perf_counter(), time.process_time()

    with tempfile.TemporaryDirectory() as tmp:
        flags = {"steps": steps, "batch_size": batch, "lr": 3e-3, "precision": "fp32", "log_every": 10,
                 "checkpoint_every": 10**9, "eval_every": 10**9, "warmup_steps": steps // 10}
        train(TrainRequest(model="lstm-attn", data="builtin:words", out=Path(tmp) / "run", device="cpu", flags=flags,
                           sets=(), progress=False), sinks=[], callbacks=[Clock()])
    n = (steps - warm) * batch
    return n / (marks["t1"] - marks["t0"]), n / (marks["c1"] - marks["c0"])


def bare_rate(steps: int, batch: int) -> tuple[float, float]:
    """The same work in a hand-written loop: the task's dataset, collate and loss, AdamW, schedule, clipping."""
    import torch

    from engine.models.lstm_attn import LstmAttnConfig
    from engine.tasks.lstm_attn import LstmAttnTask
    from engine.training.schedule import WarmupCosine

    torch.manual_seed(0)
    task = LstmAttnTask(LstmAttnConfig(), "builtin:words")
    data = task.dataset()
    model = task.build_model()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, WarmupCosine(steps, steps // 10, 0.1))
    gen = torch.Generator().manual_seed(0)
    order = torch.randperm(len(data), generator=gen).tolist()
    warm = steps // 5
    t0 = c0 = 0.0
    model.train()
    for step in range(steps):
        if step == warm:
            t0, c0 = time.perf_counter(), time.process_time()
        idx = order[(step * batch) % (len(order) - batch):][:batch]
        loss = task.loss(model, task.collate(data.__getitems__(idx), gen), gen).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
    n = (steps - warm) * batch
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--runs", type=int, default=3, help="trainer/bare pairs, interleaved (medians reported)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--skip-training", action="store_true")
    args = p.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)", flush=True)
    ms = latency(args.repeats)
    for name, (wall, cpu) in ms.items():
        print(f"  {name:<42} wall {wall:7.1f} ms  CPU {cpu:7.1f} ms (medians of {args.repeats})")
    wall, cpu = ms["total"]
    print(f"1-s recording classified, embedded and drawn: wall {wall:.1f} ms, CPU {cpu:.1f} ms | goal < 100 ms", flush=True)
    if args.skip_training:
        return 0
    runs_t, runs_b = [], []
    for _ in range(args.runs):
        runs_t.append(trainer_rate(args.steps, args.batch_size))
        runs_b.append(bare_rate(args.steps, args.batch_size))
    med = lambda runs, i: statistics.median(r[i] for r in runs)         # noqa: E731
    t, tc, b, bc = med(runs_t, 0), med(runs_t, 1), med(runs_b, 0), med(runs_b, 1)
    print(f"lstm-attn training, batch {args.batch_size}: engine.training {t:.0f} vs bare {b:.0f} samples/s, wall ratio "
          f"{t / b:.3f} | CPU time {tc:.0f} vs {bc:.0f}, ratio {tc / bc:.3f} | goal >= 0.95", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
