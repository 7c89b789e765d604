"""The fused word2vec kernel (kernel.cpp): built once with the system C++ compiler into a
cache folder, loaded with ctypes (plain C ABI: no Python or torch headers, about a second to build).

    kernel() -> Kernel | None      None when it cannot be built (no compiler, a failed build,
                                   or MLSP_W2V_KERNEL=torch); a one-line notice says so, once
    Kernel.alias(p) -> NoiseTable  Walker's alias table of the noise distribution p (V,)
    Kernel.workspace(V, N, shards) -> Workspace    per-model scratch rows (freed with it)
    Workspace.train(...)           one step of per-pair SGD on the weights, in place

The compiler is `$CXX`, else g++, else c++ (`CXX=/nonexistent` simulates a machine without one).
The library lives in `$MLSP_CACHE` (default: the platform's user cache folder, mlsp-explorer/kernels),
named by a hash of the source, the compiler command and this CPU's flags (it is built with
-march=native), and is written atomically, so concurrent first builds cannot clash.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

SOURCE = Path(__file__).with_name("kernel.cpp")
FLAGS = ("-O3", "-march=native", "-fopenmp-simd", "-std=c++17", "-shared", "-fPIC", "-pthread")
_LOCK = threading.Lock()
_F32, _I32, _U32 = ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_uint32)


def cache_dir() -> Path:
    if os.environ.get("MLSP_CACHE"):
        return Path(os.environ["MLSP_CACHE"]) / "kernels"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "mlsp-explorer" / "kernels"


def compiler() -> str | None:
    """The C++ compiler to use: $CXX when set (even if missing), else g++ or c++ on PATH."""
    if os.environ.get("CXX"):
        return shutil.which(os.environ["CXX"])
    return shutil.which("g++") or shutil.which("c++")


def _cpu_flags() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor()
    return next((line for line in text.splitlines() if line.startswith(("flags", "Features"))), "")


def library_path(cxx: str) -> Path:
    h = hashlib.sha1(SOURCE.read_bytes())
    for part in (cxx, *FLAGS, platform.machine(), _cpu_flags()):
        h.update(part.encode() + b"\0")
    return cache_dir() / f"word2vec_kernel-{h.hexdigest()[:16]}.so"


def build(cxx: str) -> Path:
    """Compile the kernel unless the cache holds it; raises OSError/CalledProcessError on failure."""
    target = library_path(cxx)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        subprocess.run([cxx, *FLAGS, str(SOURCE), "-o", tmp], check=True, capture_output=True, text=True, timeout=300)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@dataclass(frozen=True)
class NoiseTable:
    """Walker's alias table: bucket b (uniform) gives b with probability threshold[b] / 2^32, else alias[b]."""

    threshold: np.ndarray          # (V,) uint32
    alias: np.ndarray              # (V,) int32

    def probabilities(self) -> np.ndarray:
        """(V,) the distribution the table draws from (float64)."""
        keep = self.threshold.astype(np.float64) / 2**32
        keep[self.threshold == 2**32 - 1] = 1.0
        p = keep.copy()
        np.add.at(p, self.alias, 1.0 - keep)
        return p / len(p)


class Workspace:
    """The kernel's scratch state for one (V, N) model and a shard count; freed when dropped."""

    def __init__(self, lib, vocab: int, dim: int, shards: int) -> None:
        self.lib, self.key = lib, (vocab, dim, shards)
        self.handle = lib.w2v_workspace_new(vocab, dim, shards)
        weakref.finalize(self, lib.w2v_workspace_free, self.handle)

    def train(self, w_in, w_out, tokens: np.ndarray, lines: np.ndarray, centers: np.ndarray, reach: np.ndarray,
              noise: NoiseTable, negative: int, cbow: bool, lr: float, seed: int, hogwild: bool) -> tuple[float, int]:
        """One step of per-pair SGD on w_in/w_out ((V, N) float32 contiguous CPU tensors, updated in
        place). tokens/lines (n,) int32, centers/reach (m,) int32 -> (summed loss, pairs or windows)."""
        for t in (w_in, w_out):
            if t.dtype != _torch().float32 or not t.is_contiguous() or t.device.type != "cpu" or tuple(t.shape) != self.key[:2]:
                raise ValueError("the fused kernel needs contiguous (V, N) float32 CPU weights")
        tokens, lines, centers, reach = (np.ascontiguousarray(a, dtype=np.int32) for a in (tokens, lines, centers, reach))
        if len(lines) != len(tokens) or len(reach) != len(centers):
            raise ValueError("tokens/lines and centers/reach must have equal lengths")
        if len(centers) and (centers.min() < 0 or centers.max() >= len(tokens)):
            raise ValueError("centre positions outside the tokens")
        if len(tokens) and (tokens.min() < 0 or tokens.max() >= self.key[0]):
            raise ValueError("word ids outside the vocabulary")
        if len(noise.alias) != self.key[0] or noise.threshold.dtype != np.uint32 or noise.alias.dtype != np.int32:
            raise ValueError("the noise table does not match the vocabulary")
        loss, count = ctypes.c_double(), ctypes.c_int64()
        rc = self.lib.w2v_train(
            self.handle, ctypes.cast(w_in.data_ptr(), _F32), ctypes.cast(w_out.data_ptr(), _F32),
            _ptr(tokens), _ptr(lines), len(tokens), _ptr(centers), _ptr(reach), len(centers),
            noise.threshold.ctypes.data_as(_U32), _ptr(noise.alias),
            int(negative), int(bool(cbow)), float(lr), int(seed) % 2**64, int(bool(hogwild)),
            ctypes.byref(loss), ctypes.byref(count))
        if rc != 0:
            raise ValueError("the fused kernel refused its inputs")
        return loss.value, count.value


class Kernel:
    def __init__(self, path: Path) -> None:
        lib = ctypes.CDLL(str(path))             # CDLL: the GIL is released during calls
        lib.w2v_workspace_new.restype = ctypes.c_void_p
        lib.w2v_workspace_new.argtypes = [ctypes.c_int64, ctypes.c_int, ctypes.c_int]
        lib.w2v_workspace_free.restype = None
        lib.w2v_workspace_free.argtypes = [ctypes.c_void_p]
        lib.w2v_train.restype = ctypes.c_int
        lib.w2v_train.argtypes = [ctypes.c_void_p, _F32, _F32, _I32, _I32, ctypes.c_int64, _I32, _I32, ctypes.c_int64,
                                  _U32, _I32, ctypes.c_int, ctypes.c_int, ctypes.c_float, ctypes.c_uint64,
                                  ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_int64)]
        lib.w2v_alias.restype = None
        lib.w2v_alias.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int64, _U32, _I32]
        self.lib, self.path = lib, path

    def alias(self, p: np.ndarray) -> NoiseTable:
        """The alias table of the distribution p ((V,), normalised here)."""
        p = np.ascontiguousarray(p, dtype=np.float64)
        p = p / p.sum()
        threshold, alias = np.empty(len(p), np.uint32), np.empty(len(p), np.int32)
        self.lib.w2v_alias(p.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), len(p), threshold.ctypes.data_as(_U32),
                           _ptr(alias))
        return NoiseTable(threshold, alias)

    def workspace(self, vocab: int, dim: int, shards: int) -> Workspace:
        return Workspace(self.lib, vocab, dim, max(1, shards))


def _ptr(a: np.ndarray):
    return a.ctypes.data_as(_I32)


def _torch():
    import torch

    return torch


def _notice(text: str) -> None:
    print(f"word2vec: {text}; training with the slower pure-torch path.", file=sys.stderr, flush=True)


@cache
def _kernel_for(cxx: str | None, mode: str) -> Kernel | None:
    if mode == "torch":
        return None
    if cxx is None:
        _notice("no C++ compiler found (set CXX or install g++) to build the fused kernel")
        return None
    try:
        return Kernel(build(cxx))
    except subprocess.CalledProcessError as exc:
        _notice(f"{cxx} could not build the fused kernel ({(exc.stderr or '').strip().splitlines()[-1:]})")
    except (OSError, subprocess.TimeoutExpired) as exc:
        _notice(f"the fused kernel could not be built or loaded ({exc})")
    return None


def kernel() -> Kernel | None:
    """The loaded kernel, or None (see the module doc); built at most once per process and setting."""
    with _LOCK:
        return _kernel_for(compiler(), os.environ.get("MLSP_W2V_KERNEL", "auto").strip().lower())
