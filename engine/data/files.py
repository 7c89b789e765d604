"""Opening input files with one clear error for every way it can fail (missing, deleted, a
folder, no permission), and the small formatting helpers the loaders share."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from engine.errors import InputError


def as_path(path: str | os.PathLike) -> Path:
    return Path(path).expanduser()


def file_size(path: str | os.PathLike) -> int:
    """Size in bytes of a regular file; InputError naming the file when it cannot be used."""
    p = as_path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise os_error(p, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p} is a folder, not a file; open the files inside it instead.")
    return int(st.st_size)


def open_binary(path: str | os.PathLike) -> BinaryIO:
    """Open for reading in binary; every OSError becomes an InputError naming the file."""
    p = as_path(path)
    file_size(p)
    try:
        return open(p, "rb")
    except OSError as exc:
        raise os_error(p, exc) from None


def read_head(path: str | os.PathLike, n: int = 65536) -> bytes:
    """The first `n` bytes of a file (for magic numbers and encoding sniffing)."""
    with open_binary(path) as f:
        try:
            return f.read(n)
        except OSError as exc:
            raise os_error(as_path(path), exc) from None


def os_error(p: Path, exc: OSError) -> InputError:
    """Turn an OSError on `p` into one sentence saying what happened and what to do."""
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return InputError(f"{p} does not exist (was it moved or deleted?); check the path and open it again.")
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return InputError(f"cannot read {p}: permission denied; give yourself read access or copy the file elsewhere.")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{p} is a folder, not a file; open the files inside it instead.")
    if code == errno.ENOTDIR:
        return InputError(f"{p} does not exist: a part of its path is a file, not a folder.")
    reason = exc.strerror or str(exc)
    return InputError(f"cannot read {p}: {reason}.")


def human_size(n_bytes: int) -> str:
    """Decimal units, as file managers show them: 999 B, 12.3 kB, 4.5 MB, 1.2 GB."""
    value = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def human_duration(seconds: float) -> str:
    """'3.20 s', '12 min 5 s', '3 h 0 min'."""
    if seconds < 60:
        return f"{seconds:.2f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min {int(seconds % 60)} s"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60)} min"
