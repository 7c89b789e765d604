"""`mlsp` run in this process: the same entry point and top-level error handler as the installed
command (`mlsp_gui.cli.main`), stdout and stderr captured. Much faster than a subprocess per case
(torch and the registry are imported once), so the fault suite can try hundreds of cases."""
from __future__ import annotations

import contextlib
import io
import json
import os
import traceback
from dataclasses import dataclass


@dataclass
class CliResult:
    argv: list[str]
    rc: int
    out: str
    err: str
    crash: str = ""          # a traceback that escaped the CLI's handler (a bug)

    def explain(self) -> str:
        return f"mlsp {' '.join(self.argv)!r}: rc={self.rc}\nstdout: {self.out[-800:]}\nstderr: {self.err[-800:]}\n{self.crash}"


def run_cli(argv: list[str], cwd: str | None = None) -> CliResult:
    """Run `mlsp ARGV` in-process; SystemExit (argparse) gives its code, any other exception is a crash."""
    from mlsp_gui.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    rc, crash = 0, ""
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = int(main(list(argv)) or 0)
            except SystemExit as exc:
                rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    err.write(exc.code + "\n")
            except BaseException:              # noqa: BLE001 - what the user would see as a traceback
                rc, crash = 1, traceback.format_exc()
    finally:
        os.chdir(old)
    return CliResult(list(argv), rc, out.getvalue(), err.getvalue(), crash)


def check_contract(res: CliResult, json_mode: bool = False) -> None:
    """What every `mlsp` run must give: exit 0 or 2, no traceback, an error as one line, strict JSON
    on stdout under --json."""
    assert not res.crash, res.explain()
    assert res.rc in (0, 2), res.explain()
    assert "Traceback" not in res.err and "Traceback" not in res.out, res.explain()
    if res.rc == 2 and (res.err.strip() or not res.out.strip()):     # (a checker's verdict may be its report alone)
        lines = res.err.strip().splitlines()
        errors = [ln for ln in lines if ": error: " in ln]
        assert len(errors) == 1 and lines[-1] == errors[0], res.explain()   # notes first, then one error line
    if json_mode and res.out.strip():
        parse_json_output(res.out)


def parse_json_output(text: str) -> list:
    """One strict JSON document, or one per line (event streams); NaN/Infinity refused."""
    try:
        return [json.loads(text, parse_constant=_refuse_constant)]
    except ValueError:
        return [json.loads(line, parse_constant=_refuse_constant) for line in text.splitlines() if line.strip()]


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
