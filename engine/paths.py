"""Where the project keeps things: shipped assets, the runs folder."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ASSETS_DIR = Path(os.environ.get("MLSP_ASSETS", Path(__file__).resolve().parents[1] / "assets"))


def user_data_dir() -> Path:
    """The platform's per-user data folder for MLSP Explorer (same place Qt's AppDataLocation picks)."""
    if os.environ.get("MLSP_HOME"):
        return Path(os.environ["MLSP_HOME"])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "mlsp-explorer"


def default_runs_dir() -> Path:
    """Default folder holding training runs; `MLSP_RUNS` overrides it."""
    if os.environ.get("MLSP_RUNS"):
        return Path(os.environ["MLSP_RUNS"])
    return user_data_dir() / "runs"


def same_path(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name the same place (user and links expanded); False when either is not a path."""
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, ValueError, TypeError):
        return False


def make_folder(path: str | os.PathLike, what: str = "--out") -> Path:
    """Create the folder `path` (and its parents) or refuse in one sentence naming it (ConfigError):
    under a regular file, on a read-only or virtual file system (/proc), without permission."""
    from engine.errors import ConfigError

    p = Path(path).expanduser()
    try:
        p.mkdir(parents=True, exist_ok=True)
        if not os.access(p, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
    except FileExistsError:
        raise ConfigError(f"cannot create the folder {what} {p}: a file of that name is in the way; "
                          "choose another folder.") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"cannot create the folder {what} {p} ({reason}); choose a folder you can write to.") from None
    return p
