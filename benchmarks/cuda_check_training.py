"""One short CUDA check of the trainer (for a borrowed GPU; runs in well under 2 minutes).

Checks, on DEVICE (default cuda) with the trainer's automatic precision (bf16 autocast on CUDA):
  1. toy-mlp trains a few hundred steps and its loss goes down;
  2. a run stopped halfway and resumed from its checkpoint continues like the uninterrupted one;
  3. a real CUDA out-of-memory error is recognised by the trainer's handler;
  4. `mlsp train` (the CLI, --json) runs on the device;
and reports throughput against the CPU (same model, same batch) and the trainer's overhead
against a bare loop on the device (benchmarks/trainer_overhead.py; reported, not judged). Prints PASS/FAIL per check and
exits 1 if any failed. `--device cpu` is a dry run of the same script on the CPU.

    python benchmarks/cuda_check_training.py [--device cuda] [--steps 300]
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

SETS = ("window=64", "hidden=512", "layers=4", "items=16384", "dropout=0.1")
RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    RESULTS.append((name, bool(ok), detail))
    print(f"[{'PASS' if ok else 'FAIL'}] {name}: {detail}", flush=True)


class Sink:
    def __init__(self) -> None:
        self.events: list[dict] = []

    def emit(self, event: dict) -> None:
        self.events.append(event)

    def close(self) -> None:
        return None

    def losses(self) -> dict[int, float]:
        return {e["step"]: e["loss"] for e in self.events if e["event"] == "step"}


def run(out: Path, device: str, steps: int, resume: bool = False, callbacks=None, batch: int = 512) -> Sink:
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    sink = Sink()
    flags = {"steps": steps, "batch_size": batch, "lr": 2e-3, "log_every": 1, "checkpoint_every": 50}
    train(TrainRequest(model="toy-mlp", out=out, device=device, flags=flags, sets=SETS, resume=resume,
                       progress=False), sinks=[sink], callbacks=callbacks)
    return sink


def throughput(sink: Sink) -> float:
    rates = [e["throughput"] for e in sink.events if e["event"] == "step"]
    return statistics.median(rates[len(rates) // 2:])


def check_learning_and_resume(device: str, steps: int, tmp: Path) -> float:
    from engine.training.loop import Callback

    t0 = time.perf_counter()
    ref = run(tmp / "ref", device, steps)
    start = ref.events[0]
    losses = list(ref.losses().values())
    k = max(1, len(losses) // 10)
    first, last = sum(losses[:k]) / k, sum(losses[-k:]) / k
    gain = [e for e in ref.events if e["event"] == "eval"][-1]["metrics"]["snr_gain_db"]
    check("loss decreases", last < 0.7 * first and gain > 1.0,
          f"{start['device']} {start['precision']}: first-10% mean {first:.4f} -> last-10% mean {last:.4f}, "
          f"denoising gain {gain:.1f} dB, in {time.perf_counter() - t0:.1f} s")
    if device.startswith("cuda"):
        check("bf16 autocast on CUDA", start["precision"] == "bf16", f"precision {start['precision']}")

    class StopAt(Callback):
        def on_step_end(self, loop, record):
            if record.step == steps // 2:
                loop.should_stop = True

    a = run(tmp / "b", device, steps, callbacks=[StopAt()])
    b = run(tmp / "b", device, steps, resume=True)
    resumed = {**a.losses(), **b.losses()}
    ref_l = ref.losses()
    diff = max(abs(resumed[s] - ref_l[s]) / max(abs(ref_l[s]), 1e-12) for s in ref_l)
    exact = all(resumed[s] == ref_l[s] for s in ref_l)
    stopped = a.events[-1].get("reason") == "stopped" and b.events[0].get("start_step") == steps // 2
    check("stop + resume continues the run", stopped and diff < 1e-3,
          f"stopped at {a.events[-1].get('step')}, resumed from {b.events[0].get('start_step')}; "
          f"max relative loss difference {diff:.2e} ({'bit-exact' if exact else 'not bit-exact'})")
    return throughput(ref)


def check_oom(device: str) -> None:
    import torch

    from engine.training.failures import classify, is_oom

    if not device.startswith("cuda"):
        check("CUDA out-of-memory recognised", True, "skipped on the CPU dry run")
        return
    try:
        torch.empty(1 << 45, dtype=torch.uint8, device=device)          # 32 TiB
        check("CUDA out-of-memory recognised", False, "allocating 32 TiB did not fail")
    except Exception as exc:
        failure = classify(exc, step=3, model="toy-mlp", batch_size=512, grad_accum=1, device=device,
                           run_dir="RUN", previous=None)
        check("CUDA out-of-memory recognised", is_oom(exc) and failure.kind == "oom",
              f"{type(exc).__name__} -> kind {failure.kind}: {failure.message[:90]}...")
    torch.cuda.empty_cache()


def check_cli(device: str, tmp: Path) -> None:
    cmd = [sys.executable, "-m", "engine.cli", "train", "toy-mlp", "--device", device, "--steps", "40",
           "--out", str(tmp / "cli"), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    end = events[-1] if events else {}
    check("mlsp train --json on the device", proc.returncode == 0 and end.get("reason") == "finished",
          f"rc {proc.returncode}, device {events[0].get('device') if events else '?'}, "
          f"end {end.get('reason')} at step {end.get('step')}" + (f"; stderr: {proc.stderr[-300:]}" if proc.returncode else ""))


def report_overhead(device: str) -> None:
    """engine.training vs a bare loop on the device, same model and work (wall clock, 2 runs each)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from trainer_overhead import median_pair, timed_bare, timed_trainer

    precision = "bf16" if device.startswith("cuda") else "fp32"
    for log_every in (1, 10):
        (t, _), (b, _) = median_pair(lambda: timed_trainer(device, 300, 256, precision, log_every),
                                     lambda: timed_bare(device, 300, 256, precision), 2)
        print(f"trainer overhead on {device} ({precision}, log every {log_every}): engine.training {t:,.0f} vs "
              f"bare loop {b:,.0f} samples/s, ratio {t / b:.3f}", flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cuda")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--cpu-steps", type=int, default=30, help="steps of the CPU throughput reference")
    args = p.parse_args()
    t_start = time.perf_counter()
    import torch

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("FAIL: CUDA is not available here (use --device cpu for a dry run).")
        return 1
    name = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "CPU"
    print(f"torch {torch.__version__}, device {args.device} ({name}), toy-mlp {', '.join(SETS)}, batch 512", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        rate = check_learning_and_resume(args.device, args.steps, tmp_path)
        check_oom(args.device)
        check_cli(args.device, tmp_path)
        cpu = throughput(run(tmp_path / "cpu", "cpu", args.cpu_steps))
        print(f"throughput: {args.device} {rate:,.0f} samples/s vs cpu {cpu:,.0f} samples/s "
              f"(x{rate / cpu:.1f}; CPU has {torch.get_num_threads()} threads)", flush=True)
    report_overhead(args.device)
    failed = [n for n, ok, _ in RESULTS if not ok]
    print(f"SUMMARY: {'PASS' if not failed else 'FAIL'} ({len(RESULTS) - len(failed)}/{len(RESULTS)} checks passed"
          f"{', failed: ' + ', '.join(failed) if failed else ''}) in {time.perf_counter() - t_start:.0f} s")
    return 0 if not failed else 1


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
