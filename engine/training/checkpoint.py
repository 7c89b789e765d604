"""Checkpoints: one folder per step, written atomically, no pickle.

    checkpoints/step-00000120/
        model.safetensors    the model's state_dict
        state.safetensors    optimizer tensors and RNG byte states
        state.json           step, data position, scheduler, optimizer/RNG skeletons, hparams
        meta.json            Task.model_meta() (optional), plus files from Task.save_extra()

The folder is built as `checkpoints/.tmp-step-...` (every file fsynced, then the folder),
renamed to `step-...` (atomic), and the parent folder is fsynced: a checkpoint exists exactly
when its final name does. Readers list only `step-<digits>` folders holding model.safetensors
and state.json, so a crash mid-write leaves nothing they would pick up. Rotation (keep the
newest K) runs only after the new checkpoint is committed.

Test hook: MLSP_CKPT_FAULT="MODE[:ARG][@STEP]" acts halfway through writing every checkpoint of
step >= STEP (default: all), after model.safetensors and before state.json: `sleep:S` sleeps S
seconds, `enospc` raises OSError(ENOSPC), `crash` kills the process with SIGKILL.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.records.training import CheckpointInfo
from engine.training.atomic import fsync_dir, read_json, write_bytes_durable

_NAME = re.compile(r"^step-(\d+)$")


def checkpoint_name(step: int) -> str:
    return f"step-{step:08d}"


@dataclass
class CheckpointData:
    """Everything in one checkpoint, loaded."""

    path: Path
    model: dict[str, Any]          # name -> tensor
    state: dict[str, Any]          # state.json
    tensors: dict[str, Any]        # state.safetensors
    meta: dict[str, Any]


def checkpoints_dir(run_dir: Path) -> Path:
    return Path(run_dir) / "checkpoints"


def list_checkpoints(run_dir: Path) -> list[CheckpointInfo]:
    """Complete checkpoints of a run, oldest step first; incomplete ones are ignored."""
    root = checkpoints_dir(run_dir)
    found: list[CheckpointInfo] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return []
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m or not entry.is_dir():
            continue
        folder = Path(entry.path)
        state = folder / "state.json"
        if not (state.is_file() and (folder / "model.safetensors").is_file()):
            continue
        try:
            found.append(CheckpointInfo(step=int(m.group(1)), path=folder, time=state.stat().st_mtime))
        except OSError:
            continue
    return sorted(found, key=lambda c: c.step)


def checkpoint_problem(folder: Path) -> str | None:
    """Why a complete checkpoint folder cannot be read (a truncated or damaged model.safetensors
    or state.safetensors, a state.json that is not a JSON object), or None when it reads. Checks
    the safetensors headers against the file sizes; reads no tensor data."""
    from engine.checkpoints_io import inspect_safetensors
    from engine.errors import ModelError

    folder = Path(folder)
    try:
        inspect_safetensors(folder / "model.safetensors")
        if (folder / "state.safetensors").exists():
            inspect_safetensors(folder / "state.safetensors", allow_empty=True)
        state = read_json(folder / "state.json")
    except ModelError as exc:
        return str(exc).rstrip(".")
    except (OSError, ValueError, RecursionError) as exc:
        return f"state.json is unreadable ({type(exc).__name__})"
    if not isinstance(state, dict):
        return "state.json is not a JSON object"
    return None


@dataclass(frozen=True)
class CheckpointChoice:
    """The newest checkpoint of a run that reads, and the newer ones skipped as damaged."""

    path: Path | None
    skipped: tuple[tuple[Path, str], ...] = ()       # (folder, why it was skipped), newest first

    def skipped_text(self) -> str:
        """"skipped damaged checkpoint step-00000040 (…); using step-00000030" (empty: none skipped)."""
        if not self.skipped:
            return ""
        names = "; ".join(f"{p.name} ({why})" for p, why in self.skipped)
        using = f"using {self.path.name}" if self.path is not None else "no checkpoint reads"
        return f"skipped damaged checkpoint(s) {names}; {using}"


def choose_checkpoint(run_dir: Path) -> CheckpointChoice:
    """The newest complete checkpoint that reads (see `checkpoint_problem`), and those skipped."""
    skipped: list[tuple[Path, str]] = []
    for info in reversed(list_checkpoints(run_dir)):
        problem = checkpoint_problem(info.path)
        if problem is None:
            return CheckpointChoice(info.path, tuple(skipped))
        skipped.append((info.path, problem))
    return CheckpointChoice(None, tuple(skipped))


def newest_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete checkpoint folder of a run that reads, or None; damaged newer ones are
    skipped and named in a notice (`engine.notices`)."""
    choice = choose_checkpoint(run_dir)
    if choice.skipped:
        from engine.notices import notice

        notice(f"run {Path(run_dir).name}: {choice.skipped_text()}.")
    return choice.path


def _fault(step: int) -> None:
    spec = os.environ.get("MLSP_CKPT_FAULT", "").strip()
    if not spec:
        return
    spec, _, first = spec.partition("@")
    if first and step < int(first):
        return
    mode, _, arg = spec.partition(":")
    if mode == "sleep":
        time.sleep(float(arg or 30))
    elif mode == "enospc":
        raise OSError(errno.ENOSPC, "No space left on device (MLSP_CKPT_FAULT)")
    elif mode == "crash":
        os.kill(os.getpid(), signal.SIGKILL)


def _tensor_bytes(tensors: dict[str, Any]) -> bytes:
    from safetensors.torch import save

    clean = {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}
    return save(clean, metadata={"format": "pt"})


def write_checkpoint(run_dir: Path, step: int, model_state: dict[str, Any], state: dict[str, Any],
                     state_tensors: dict[str, Any], meta: dict[str, Any] | None = None,
                     extra: Callable[[Path], None] | None = None) -> Path:
    """Write and commit one checkpoint; returns its folder. On any error nothing is left behind
    and the previous checkpoints are untouched."""
    root = checkpoints_dir(run_dir)
    root.mkdir(parents=True, exist_ok=True)
    final = root / checkpoint_name(step)
    if final.is_dir() and (final / "state.json").is_file():
        return final                             # this step is saved already (same state)
    tmp = root / f".tmp-{checkpoint_name(step)}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
    tmp.mkdir()
    try:
        write_bytes_durable(tmp / "model.safetensors", _tensor_bytes(model_state))
        _fault(step)
        write_bytes_durable(tmp / "state.safetensors", _tensor_bytes(state_tensors))
        write_bytes_durable(tmp / "meta.json", json.dumps(meta or {}, indent=1).encode("utf-8"))
        if extra is not None:
            extra(tmp)
            for p in tmp.iterdir():
                if p.is_file():
                    with open(p, "rb") as fh:
                        os.fsync(fh.fileno())
        write_bytes_durable(tmp / "state.json", json.dumps(state).encode("utf-8"))
        fsync_dir(tmp)
        if final.exists():                       # an unreadable leftover under the final name
            _discard(final)
        os.rename(tmp, final)
        fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _discard(folder: Path) -> None:
    """Remove a checkpoint folder: first out of the listing (rename), then from disk."""
    trash = folder.with_name(f".trash-{folder.name}-{time.monotonic_ns() % 10**9}")
    try:
        os.rename(folder, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def rotate(run_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete checkpoints; returns what was removed."""
    found = list_checkpoints(run_dir)
    doomed = [c.path for c in found[:-keep]] if keep > 0 else []
    for folder in doomed:
        _discard(folder)
    if doomed:
        fsync_dir(checkpoints_dir(run_dir))
    return doomed


def clean_incomplete(run_dir: Path) -> int:
    """Remove leftovers of interrupted writes (`.tmp-*`, `.trash-*`); returns how many."""
    root = checkpoints_dir(run_dir)
    count = 0
    if root.is_dir():
        for p in root.iterdir():
            if p.name.startswith((".tmp-", ".trash-")):
                shutil.rmtree(p, ignore_errors=True)
                count += 1
    return count


def load_model_weights(checkpoint: Path, device: str = "cpu") -> dict[str, Any]:
    """The model's state_dict from a checkpoint folder (or a run folder: its newest checkpoint)."""
    from safetensors.torch import load_file

    from engine.errors import ModelError

    folder = _as_checkpoint(checkpoint)
    try:
        return load_file(str(folder / "model.safetensors"), device=str(device))
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelError(f"cannot read the weights of checkpoint {folder} ({exc}); "
                         "pick an older checkpoint or retrain.") from None


def read_checkpoint_meta(checkpoint: Path) -> dict[str, Any]:
    """Task.model_meta() as saved in a checkpoint folder (or a run folder's newest)."""
    folder = _as_checkpoint(checkpoint)
    path = folder / "meta.json"
    return read_json(path) if path.is_file() else {}


def load_checkpoint(checkpoint: Path) -> CheckpointData:
    """Everything in a checkpoint folder; raises OSError/ValueError when it is damaged."""
    from safetensors.torch import load_file

    folder = Path(checkpoint)
    return CheckpointData(path=folder, model=load_file(str(folder / "model.safetensors")),
                          state=read_json(folder / "state.json"),
                          tensors=load_file(str(folder / "state.safetensors")),
                          meta=read_checkpoint_meta(folder))


def require_checkpoint(run_dir: Path) -> Path:
    """The newest checkpoint of a run that reads (damaged newer ones named in a notice); ModelError
    when there is none: none written yet, or every one damaged (each named)."""
    from engine.errors import ModelError

    path = newest_checkpoint(run_dir)
    if path is not None:
        return path
    choice = choose_checkpoint(run_dir)
    if choice.skipped:
        names = "; ".join(f"{p.name} ({why})" for p, why in choice.skipped)
        raise ModelError(f"run folder {run_dir}: every checkpoint is damaged ({names}); resume with "
                         "`mlsp train MODEL --out RUN --resume --restart` to start it over, or retrain.")
    raise ModelError(f"run folder {run_dir} has no complete checkpoint yet; wait for one or resume training.")


def load_newest(run_dir: Path, load: Callable[[Path], Any]) -> Any:
    """`load(checkpoint folder)` of the newest checkpoint of a run for which it succeeds: damaged
    ones (`checkpoint_problem`) and ones `load` refuses (ModelError, OSError, ValueError) are
    skipped and named in a notice; ModelError naming each when none loads."""
    from engine.errors import ModelError
    from engine.notices import notice

    skipped: list[tuple[Path, str]] = []
    for info in reversed(list_checkpoints(run_dir)):
        why = checkpoint_problem(info.path)
        if why is None:
            try:
                result = load(info.path)
            except (ModelError, OSError, ValueError) as exc:
                why = str(exc).rstrip(".") or type(exc).__name__
            else:
                if skipped:
                    notice(f"run {Path(run_dir).name}: {CheckpointChoice(info.path, tuple(skipped)).skipped_text()}.")
                return result
        skipped.append((info.path, why))
    if skipped:
        names = "; ".join(f"{p.name} ({why})" for p, why in skipped)
        raise ModelError(f"run folder {run_dir}: every checkpoint is damaged ({names}); resume with "
                         "`mlsp train MODEL --out RUN --resume --restart` to start it over, or retrain.")
    raise ModelError(f"run folder {run_dir} has no complete checkpoint yet; wait for one or resume training.")


def load_reference(ref: Any, load: Callable[[Path], Any]) -> Any:
    """`load(folder)` of what a model reference points at: the entry's shipped weights
    (`assets/<id>/`), one checkpoint folder (it holds model.safetensors), or a run folder's newest
    checkpoint that loads (`load_newest`: damaged newer ones skipped and named)."""
    from engine.errors import ModelError

    if ref.path is None:
        folder = ref.spec.weights_path()
        if folder is None:
            raise ModelError(f"{ref.spec.id} has no shipped weights here (assets/{ref.spec.id}/); train it with "
                             f"`mlsp train {ref.spec.id} --out RUN` and load the run folder RUN.")
        return load(Path(folder))
    path = Path(ref.path)
    if (path / "model.safetensors").is_file():
        return load(path)
    return load_newest(path, load)


def _as_checkpoint(path: Path) -> Path:
    from engine.errors import ModelError

    path = Path(path)
    if (path / "model.safetensors").is_file():
        return path
    if (path / "checkpoints").is_dir():
        return require_checkpoint(path)
    raise ModelError(f"{path} is neither a checkpoint folder (model.safetensors) nor a run folder.")
