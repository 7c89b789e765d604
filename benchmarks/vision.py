"""Vision benchmarks (issue 11), on this machine's CPU:

1. One masked-patch reconstruction with the shipped vit-mae (a 32 × 32 input, 75% hidden), the
   engine's `reconstruct` probe end to end (resize, mask, encoder, decoder, record): median ms
   (goal < 20 ms).
2. vit-mae training throughput through the trainer (`engine.training`) against a bare loop in this
   script doing the same work (same model, data, random masks, crops, AdamW, warm-up + cosine,
   clipping), both in this run: images/s and CPU-time images/s, ratio (goal >= 0.95).

    OMP_NUM_THREADS=1 python benchmarks/vision.py [--steps 120] [--repeats 2]

On a shared machine keep one thread: the CPU-time ratio (process_time) is the robust figure.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reconstruction_ms(repeats: int = 60) -> float:
    import numpy as np

    from engine.probes.reconstruct import reconstruct
    from engine.records.inputs import ImageInput
    from engine.zoo import load_model

    model = load_model("vit-mae", "cpu")
    pixels = (np.random.RandomState(0).rand(32, 32, 3) * 255).astype(np.uint8)
    image = ImageInput(None, "noise", pixels, 32, 32, "RGB", "")
    for seed in range(5):
        reconstruct(model, image, 0.75, seed)
    times = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        reconstruct(model, image, 0.75, seed)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def timed_trainer(steps: int, batch: int) -> tuple[float, float]:
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
        flags = {"steps": steps, "batch_size": batch, "checkpoint_every": 10**9, "eval_every": 10**9,
                 "warmup_steps": steps // 10}
        train(TrainRequest(model="vit-mae", out=Path(tmp) / "run", device="cpu", flags=flags, progress=False),
              sinks=[], callbacks=[Clock()])
    n = (steps - warm) * batch
    return n / (marks["t1"] - marks["t0"]), n / (marks["c1"] - marks["c0"])


def timed_bare(steps: int, batch: int) -> tuple[float, float]:
    import torch

    from engine.models.vit_mae import MAE, MAEConfig
    from engine.tasks.vit_mae import MAETask
    from engine.training.schedule import WarmupCosine

    torch.manual_seed(0)
    task = MAETask(MAEConfig(), None)
    hp = task.default_hparams()
    images = task.dataset().images
    model = MAE(MAEConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, WarmupCosine(steps, steps // 10, 0.1))
    gen = torch.Generator().manual_seed(0)
    warm = steps // 5
    per_epoch = len(images) // batch
    order = torch.randperm(len(images))
    t0 = c0 = 0.0
    for step in range(steps):
        if step == warm:
            t0, c0 = time.perf_counter(), time.process_time()
        k = step % per_epoch
        if k == 0:
            order = torch.randperm(len(images))
        x = task.collate([(images[order[k * batch:(k + 1) * batch]], None, None)], gen)
        noise = torch.rand(x.shape[0], model.config.n_patches, generator=gen)
        loss = model.loss(x, model(x, noise=noise))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp["grad_clip"])
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
    n = (steps - warm) * batch
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0)


def main() -> int:
    import torch

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=120)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    ms = reconstruction_ms()
    print(f"one reconstruction (shipped vit-mae, 32 × 32, 75% hidden): median {ms:.2f} ms (goal < 20 ms)")
    ratios, cpu_ratios = [], []
    for r in range(args.repeats):
        bare, bare_cpu = timed_bare(args.steps, args.batch_size)
        ours, ours_cpu = timed_trainer(args.steps, args.batch_size)
        ratios.append(ours / bare)
        cpu_ratios.append(ours_cpu / bare_cpu)
        print(f"repeat {r}: trainer {ours:.0f} images/s ({ours_cpu:.0f} per CPU-s), bare loop {bare:.0f} images/s "
              f"({bare_cpu:.0f} per CPU-s)")
    print(f"trainer / bare loop: wall {statistics.median(ratios):.3f}x, CPU time {statistics.median(cpu_ratios):.3f}x "
          f"(goal >= 0.95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
