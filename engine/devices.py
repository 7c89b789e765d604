"""Device choice: `auto` picks CUDA, then MPS, then CPU. Every entry point takes `--device`."""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import ConfigError


@dataclass(frozen=True)
class DeviceInfo:
    """One compute device the machine offers."""

    name: str          # what `--device` takes: "cpu", "cuda:0", "mps"
    kind: str          # "cpu" | "cuda" | "mps"
    description: str   # human-readable, e.g. "NVIDIA H200 (139 GiB)"
    available: bool


def list_devices() -> list[DeviceInfo]:
    """Every device kind, with `available` telling which are present (imports torch)."""
    import torch

    found = [DeviceInfo("cpu", "cpu", f"CPU ({torch.get_num_threads()} threads)", True)]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            gib = props.total_memory / 2**30
            found.append(DeviceInfo(f"cuda:{i}", "cuda", f"{props.name} ({gib:.0f} GiB)", True))
    else:
        found.append(DeviceInfo("cuda:0", "cuda", "CUDA (not available)", False))
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps and mps.is_available())
    found.append(DeviceInfo("mps", "mps", "Apple Metal (MPS)" if has_mps else "MPS (not available)", has_mps))
    return found


def resolve_device(name: str | None = "auto"):
    """Turn `auto`, `cpu`, `cuda`, `cuda:N` or `mps` into a torch.device, refusing absent ones."""
    import torch

    name = (name or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if name != "cuda" and not (name.startswith("cuda:") and name[5:].isdigit()):
            raise ConfigError(f"unknown device '{name}'; use auto, cpu, cuda, cuda:N (N = 0, 1, ...) or mps.")
        if not torch.cuda.is_available():
            raise ConfigError(f"device '{name}' was asked for but CUDA is not available here; use --device cpu or auto.")
        dev = torch.device(name)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ConfigError(
                f"device '{name}' does not exist: this machine has {torch.cuda.device_count()} CUDA device(s).")
        return dev
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        if not (mps and mps.is_available()):
            raise ConfigError("device 'mps' was asked for but Apple Metal is not available here; use --device cpu or auto.")
        return torch.device("mps")
    raise ConfigError(f"unknown device '{name}'; use auto, cpu, cuda, cuda:N or mps.")
