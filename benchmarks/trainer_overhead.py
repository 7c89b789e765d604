"""Trainer overhead: the same model, data, optimizer, schedule and clipping trained by
`engine.training` and by a bare hand-written loop in this script; throughput ratio (goal >= 0.95).

Also measures bf16 autocast against fp32 on the same device (the trainer enables bf16 by default
on CUDA only; run this on a CPU to see why).

    python benchmarks/trainer_overhead.py [--device cpu] [--steps 300] [--repeats 3] [--threads N]

On a shared, overloaded machine use --threads 1: with 2 OpenMP threads a busy neighbour makes
every parallel kernel wait for a descheduled thread, and the noise drowns the difference. With
one thread the CPU-time ratio (process_time) is the robust figure: it does not count the time
the process waited for a core.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = ("window=64", "hidden=256", "layers=3", "items=8192", "dropout=0.1", "gain_jitter=0")


def timed_trainer(device: str, steps: int, batch: int, precision: str, log_every: int) -> tuple[float, float]:
    """Samples/s of engine.training over the last `steps - warm` steps (setup, the final
    evaluation and the final checkpoint excluded; `checkpoint_seconds` measures a save)."""
    from engine.training.loop import Callback
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    warm = steps // 5
    marks: dict[str, float] = {}

    class Clock(Callback):
        """Times steps warm+1 .. steps (logging included; the final evaluation and save are not)."""

        def on_step_end(self, loop, record):
            if record.step in (warm, steps):
                _sync(device)
                key = "0" if record.step == warm else "1"
                marks["t" + key], marks["c" + key] = time.perf_counter(), time.process_time()

    with tempfile.TemporaryDirectory() as tmp:
        flags = {"steps": steps, "batch_size": batch, "lr": 1e-3, "precision": precision, "log_every": log_every,
                 "checkpoint_every": 10**9, "eval_every": 10**9, "warmup_steps": steps // 10}
        train(TrainRequest(model="toy-mlp", out=Path(tmp) / "run", device=device, flags=flags, sets=SETS,
                           progress=False), sinks=[], callbacks=[Clock()])
    n = (steps - warm) * batch
    return n / (marks["t1"] - marks["t0"]), n / (marks["c1"] - marks["c0"])


def timed_bare(device: str, steps: int, batch: int, precision: str) -> tuple[float, float]:
    """Samples/s of a plain loop doing the same work: random batches, AdamW, warm-up + cosine, clipping."""
    import torch
    import torch.nn.functional as F

    from engine.data.sines import make_sines
    from engine.models.toy_mlp import ToyConfig, build_mlp
    from engine.training.hparams import apply_sets
    from engine.training.schedule import WarmupCosine

    cfg = apply_sets(ToyConfig, dict(s.split("=") for s in SETS))
    torch.manual_seed(0)
    noisy, clean = make_sines(cfg.items, cfg.window, cfg.noise, cfg.data_seed)
    dev = torch.device(device)
    model = build_mlp(cfg).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, WarmupCosine(steps, steps // 10, 0.1))
    amp = (torch.autocast(device_type=dev.type, dtype=torch.bfloat16) if precision == "bf16"
           else contextlib.nullcontext())
    per_epoch = cfg.items // batch
    warm = steps // 5
    order = torch.randperm(cfg.items)
    t0 = c0 = 0.0
    for step in range(steps):
        if step == warm:
            _sync(device)
            t0, c0 = time.perf_counter(), time.process_time()
        k = step % per_epoch
        if k == 0:
            order = torch.randperm(cfg.items)
        idx = order[k * batch:(k + 1) * batch]
        x, y = noisy[idx].to(dev), clean[idx].to(dev)
        with amp:
            loss = F.mse_loss(model(x).float(), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
    loss.item()
    _sync(device)
    n = (steps - warm) * batch
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0)


def checkpoint_seconds(device: str) -> tuple[float, int]:
    """(seconds to write one complete checkpoint: weights + AdamW state + RNG, fsynced; parameters)."""
    import torch

    from engine.models.toy_mlp import ToyConfig, build_mlp
    from engine.training import rng
    from engine.training.checkpoint import write_checkpoint
    from engine.training.hparams import apply_sets
    from engine.training.tensor_tree import flatten

    cfg = apply_sets(ToyConfig, dict(s.split("=") for s in SETS))
    model = build_mlp(cfg).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model(torch.randn(8, cfg.window, device=device)).pow(2).mean().backward()
    opt.step()
    with tempfile.TemporaryDirectory() as tmp:
        _sync(device)
        t0 = time.perf_counter()
        tensors: dict = {}
        state = {"optimizer": flatten(opt.state_dict(), "optim", tensors), "rng": rng.capture(tensors)}
        write_checkpoint(Path(tmp), 1, model.state_dict(), state, tensors)
        return time.perf_counter() - t0, sum(p.numel() for p in model.parameters())


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def median_pair(fa, fb, repeats: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Interleave A and B runs (A B A B ...) so machine load hits both alike; medians of
    (wall-clock rate, CPU-time rate) for each."""
    a, b = [], []
    for _ in range(repeats):
        a.append(fa())
        b.append(fb())
    med = lambda runs, i: statistics.median(r[i] for r in runs)       # noqa: E731
    return (med(a, 0), med(a, 1)), (med(b, 0), med(b, 1))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--skip-bf16", action="store_true")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's choice)")
    args = p.parse_args()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    fp = "bf16" if args.device.startswith("cuda") else "fp32"
    print(f"toy-mlp ({', '.join(SETS)}), batch {args.batch_size}, {args.steps} steps, device {args.device}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, precision {fp}", flush=True)
    for log_every in (1, 10):
        (t, tc), (b, bc) = median_pair(
            lambda: timed_trainer(args.device, args.steps, args.batch_size, fp, log_every),
            lambda: timed_bare(args.device, args.steps, args.batch_size, fp), args.repeats)
        extra_us = (args.batch_size / tc - args.batch_size / bc) * 1e6
        print(f"log every {log_every:>2} step(s): wall clock: engine.training {t:8.0f} vs bare {b:8.0f} samples/s, "
              f"ratio {t / b:.3f} | CPU time: {tc:8.0f} vs {bc:8.0f} samples/s, ratio {tc / bc:.3f} "
              f"({extra_us:+.0f} us CPU per step) | goal >= 0.95", flush=True)
    seconds, n_params = checkpoint_seconds(args.device)
    print(f"one checkpoint ({n_params:,} parameters + AdamW state, fsynced): {seconds * 1e3:.0f} ms", flush=True)
    if not args.skip_bf16:
        (f32, f32c), (b16, b16c) = median_pair(
            lambda: timed_bare(args.device, args.steps, args.batch_size, "fp32"),
            lambda: timed_bare(args.device, args.steps, args.batch_size, "bf16"), args.repeats)
        print(f"bf16 autocast vs fp32 on {args.device} (bare loop): wall {b16:.0f} vs {f32:.0f} samples/s, "
              f"ratio {b16 / f32:.3f} | CPU time ratio {b16c / f32c:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
