"""torch.distributed for the trainer: DDP under torchrun (gloo on CPU, NCCL on CUDA), and the
launcher behind `mlsp train --nproc N` (torchrun on loopback)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from engine.errors import ConfigError


@dataclass(frozen=True)
class DistInfo:
    """Where this process sits in the job; world_size 1 means no process group."""

    world_size: int = 1
    rank: int = 0
    local_rank: int = 0
    backend: str | None = None

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1


def env_world_size() -> int:
    """WORLD_SIZE set by torchrun (1 when started plainly)."""
    try:
        return int(os.environ.get("WORLD_SIZE", "1"))
    except ValueError:
        return 1


def setup(device_name: str) -> tuple[DistInfo, Any]:
    """Join the process group torchrun prepared and pick this rank's device.

    Returns (DistInfo, torch.device). Without torchrun: DistInfo() and the resolved device."""
    import torch
    import torch.distributed as dist

    from engine.devices import resolve_device

    world = env_world_size()
    device = resolve_device(device_name)
    if world <= 1:
        return DistInfo(), device
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if device.type == "cuda":
        if local_rank >= torch.cuda.device_count():
            raise ConfigError(f"torchrun started {world} processes on this machine but it has only "
                              f"{torch.cuda.device_count()} CUDA device(s); lower --nproc.")
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
        backend = "nccl"
    elif device.type == "cpu":
        backend = "gloo"
    else:
        raise ConfigError(f"multi-process training supports cpu and cuda, not '{device.type}'; use --device cpu or cuda.")
    if not dist.is_initialized():
        dist.init_process_group(backend=backend)
    return DistInfo(world_size=world, rank=rank, local_rank=local_rank, backend=backend), device


def teardown(info: DistInfo) -> None:
    import torch.distributed as dist

    if info.enabled and dist.is_initialized():
        dist.destroy_process_group()


def all_reduce_mean(values: Any, info: DistInfo) -> Any:
    """Mean of a tensor over all processes (returned unchanged with one process)."""
    if not info.enabled:
        return values
    import torch.distributed as dist

    dist.all_reduce(values, op=dist.ReduceOp.SUM)
    return values / info.world_size


def agree_any(flag: bool, info: DistInfo, device: Any) -> bool:
    """True on every rank when any rank says True (used for stop requests)."""
    if not info.enabled:
        return flag
    import torch
    import torch.distributed as dist

    t = torch.tensor([1.0 if flag else 0.0], device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item() > 0)


def barrier(info: DistInfo) -> None:
    if info.enabled:
        import torch.distributed as dist

        dist.barrier()


def torchrun_command(nproc: int, cli_args: list[str]) -> list[str]:
    """The torchrun command that runs `python -m engine.cli <cli_args>` in `nproc` processes,
    rendezvous on loopback (127.0.0.1, a free port)."""
    return [sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", str(nproc),
            "--rdzv-backend", "c10d", "--rdzv-endpoint", "127.0.0.1:0", "--max-restarts", "0",
            "-m", "engine.cli", *cli_args]


def launch(nproc: int, cli_args: list[str]) -> int:
    """Start torchrun and wait. The first SIGTERM/SIGINT creates the stop file the workers watch
    (MLSP_STOP_FILE), so every rank checkpoints and stops after the same step and torchrun exits 0;
    a second one terminates torchrun."""
    import tempfile
    from pathlib import Path

    if nproc < 1:
        raise ConfigError(f"--nproc must be 1 or more, got {nproc}.")
    stop = Path(tempfile.gettempdir()) / f"mlsp-stop-{os.getpid()}-{os.urandom(4).hex()}"
    env = dict(os.environ, MLSP_STOP_FILE=str(stop))
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nproc)))
    proc = subprocess.Popen(torchrun_command(nproc, cli_args), env=env, start_new_session=True)

    def forward(_signum, _frame):
        if stop.exists():
            proc.terminate()
        else:
            stop.touch()

    old = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return proc.wait()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        stop.unlink(missing_ok=True)


def broadcast_text(text: str, info: DistInfo, device: Any, size: int = 4096) -> str:
    """Rank 0's `text` on every rank (e.g. the run folder name chosen from the clock)."""
    if not info.enabled:
        return text
    import torch
    import torch.distributed as dist

    raw = text.encode("utf-8")[:size]
    buf = torch.zeros(size + 1, dtype=torch.int64, device=device)
    if info.is_main:
        buf[0] = len(raw)
        buf[1:1 + len(raw)] = torch.tensor(list(raw), dtype=torch.int64)
    dist.broadcast(buf, src=0)
    n = int(buf[0].item())
    return bytes(buf[1:1 + n].tolist()).decode("utf-8")
