"""gpt-mini: training throughput through the one trainer against a bare loop of the same model,
its model-FLOP utilisation against the matrix-multiply throughput measured in the same run, and
generation speed with and without the key/value cache.

  trainer    `engine.training.train` on gpt-mini (a text file of the built-in grammar), tokens/s over
             the steps after a warm-up (no checkpoint or evaluation inside the timed steps)
  bare       the same Task's data, model, AdamW, warm-up + cosine schedule and clipping in a plain loop
  MFU        (training FLOPs per token x tokens/s) / the best torch.matmul FLOP/s measured on this machine
             now, with the model's own matrix shapes and a square 1024 one; training FLOPs per token =
             3 x forward (2 x every weight matrix's size + 4 x context x width per layer for q·k and a·v)
  generate   tokens/s of greedy decoding with `CachedLM` (KV cache) and with `Recompute` (the whole
             prefix every step)

The model is the shipped preset's (README: `mlsp train gpt-mini ... --batch-size 32 --set dropout=0.0`:
4 layers, 128 wide, context 64, a 1,024-token BPE, batch 32); `--batch` and `--vocab` change them.

Goals (issue 10): trainer/bare >= 0.95, MFU >= 0.5 on a CPU. Runs are interleaved (trainer, bare,
matmul; trainer, bare, matmul; ...) and medians reported, with CPU-time rates (process_time) beside
wall-clock ones: on a shared machine the CPU-time figure is the robust one. Each repeat's MFU divides
by the matmul throughput measured right after it, so a machine that slows down for a while slows
both sides of that ratio.

    python benchmarks/lm_training.py [--steps 60] [--repeats 3] [--threads 1] [--batch 32] [--vocab 1024] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = {"d_model": "128", "n_layers": "4", "n_heads": "4", "d_ff": "512", "context": "64", "vocab_size": "1024",
        "dropout": "0.0", "eval_tokens": "200"}
BATCH = 32


def corpus(folder: Path) -> Path:
    from engine.data.corpora import resolve_data

    path = folder / "text.txt"
    path.write_text("\n".join(resolve_data("builtin:grammar-small").lines[:6000]) + "\n", encoding="utf-8")
    return path


def timed_trainer(data: Path, steps: int) -> tuple[float, float]:
    from engine.training.loop import Callback
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    warm, marks = steps // 5, {}

    class Clock(Callback):
        def on_step_end(self, loop, record):
            if record.step in (warm, steps):
                key = "0" if record.step == warm else "1"
                marks["t" + key], marks["c" + key] = time.perf_counter(), time.process_time()

    with tempfile.TemporaryDirectory() as tmp:
        flags = {"steps": steps, "batch_size": BATCH, "lr": 1e-3, "checkpoint_every": 10**9, "eval_every": 10**9,
                 "warmup_steps": steps // 10, "log_every": 10}
        train(TrainRequest(model="gpt-mini", data=str(data), out=Path(tmp) / "run", device="cpu", flags=flags,
                           sets=tuple(f"{k}={v}" for k, v in SETS.items()), progress=False), sinks=[],
              callbacks=[Clock()])
    n = (steps - warm) * BATCH * int(SETS["context"])
    return n / (marks["t1"] - marks["t0"]), n / (marks["c1"] - marks["c0"])


def _task(data: Path):
    from engine.models.gpt_mini import GPTMiniConfig
    from engine.tasks.gpt_mini import GPTMiniTask
    from engine.training.hparams import apply_sets

    task = GPTMiniTask(apply_sets(GPTMiniConfig, SETS), str(data))
    task.dataset()
    return task


def timed_bare(data: Path, steps: int) -> tuple[float, float]:
    import torch

    from engine.training.schedule import WarmupCosine

    task = _task(data)
    torch.manual_seed(0)
    model = task.build_model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01, fused=True)   # as the trainer
    sched = torch.optim.lr_scheduler.LambdaLR(opt, WarmupCosine(steps, steps // 10, 0.1))
    ds = task.dataset()
    warm, t0, c0 = steps // 5, 0.0, 0.0
    gen = torch.Generator().manual_seed(0)
    for step in range(steps):
        if step == warm:
            t0, c0 = time.perf_counter(), time.process_time()
        idx = torch.randint(0, len(ds), (BATCH,), generator=gen).tolist()
        batch = task.collate([ds[i] for i in idx], gen)
        loss = task.loss(model, batch, gen).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
    n = (steps - warm) * BATCH * int(SETS["context"])
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0)


def train_flops_per_token(vocab: int) -> float:
    d, f, n, t = (int(SETS[k]) for k in ("d_model", "d_ff", "n_layers", "context"))
    forward = n * (2 * (4 * d * d + 2 * d * f) + 4 * t * d) + 2 * d * vocab
    return 3.0 * forward


def matmul_flops(vocab: int, repeats: int = 5) -> tuple[float, float]:
    """The best FLOP/s of torch.matmul (fp32) over the model's own shapes and a square 1024 one, per
    second of wall-clock time and per second of CPU time (these differ when torch runs threads)."""
    import torch

    d, f, t = int(SETS["d_model"]), int(SETS["d_ff"]), int(SETS["context"])
    rows = BATCH * t
    best_wall = best_cpu = 0.0
    for m, k, n in ((rows, d, d), (rows, d, f), (rows, f, d), (rows, d, vocab), (1024, 1024, 1024)):
        a, b = torch.randn(m, k), torch.randn(k, n)
        a @ b
        walls, cpus = [], []
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(5):
                a @ b
            walls.append((time.perf_counter() - t0) / 5)
            cpus.append((time.process_time() - c0) / 5)
        best_wall = max(best_wall, 2.0 * m * k * n / min(walls))
        best_cpu = max(best_cpu, 2.0 * m * k * n / max(min(cpus), 1e-9))
    return best_wall, best_cpu


def generation(data: Path, new: int = 60) -> tuple[float, float]:
    import torch

    from engine.decoding import CachedLM, Recompute, greedy

    task = _task(data)
    torch.manual_seed(0)
    net = task.build_model().eval()
    prompt = torch.tensor([task.stream[:2].tolist()])
    cached = CachedLM(lambda ids, cache: net(ids, cache=cache).logits, net.new_cache)
    full = Recompute(lambda ids: net(ids).logits)
    rates = []
    for lm in (cached, full):
        with torch.inference_mode():
            greedy(lm, prompt, 4)
            t0 = time.perf_counter()
            h = greedy(lm, prompt, new)
            rates.append(len(h.ids) / (time.perf_counter() - t0))
    return rates[0], rates[1]


def main() -> int:
    global BATCH
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=BATCH, help="sequences per step (the shipped preset: 32)")
    p.add_argument("--vocab", type=int, default=int(SETS["vocab_size"]), help="BPE tokens to train (preset: 1024)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    import torch

    BATCH, SETS["vocab_size"] = args.batch, str(args.vocab)

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        data = corpus(Path(tmp))
        vocab = len(_task(data).tokenizer)
        trainer, bare, mm = [], [], []
        for _ in range(args.repeats):
            trainer.append(timed_trainer(data, args.steps))
            bare.append(timed_bare(data, args.steps))
            mm.append(matmul_flops(vocab))
        cached, recompute = generation(data)
    med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
    fpt = train_flops_per_token(vocab)
    mfu = lambda i: statistics.median(fpt * t[i] / m[i] for t, m in zip(trainer, mm))  # noqa: E731
    out = {"threads": args.threads, "batch": BATCH, "vocab": vocab,
           "trainer_tokens_per_s": med(trainer, 0), "bare_tokens_per_s": med(bare, 0),
           "ratio_wall": med(trainer, 0) / med(bare, 0), "ratio_cpu": med(trainer, 1) / med(bare, 1),
           "train_flops_per_token": fpt, "matmul_gflops": med(mm, 0) / 1e9,
           "mfu_wall": mfu(0), "mfu_cpu": mfu(1),
           "generate_tokens_per_s_cache": cached, "generate_tokens_per_s_no_cache": recompute,
           "cache_speedup": cached / recompute}
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:32s} {v:.4g}" if isinstance(v, float) else f"{k:32s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
