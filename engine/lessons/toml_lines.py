"""Where each key of a TOML file is, so that a lesson's errors name the line.

`key_lines(text)` maps a dotted path such as ("preset", "model") or ("step", 2, "text") to the
line where that key is set (or its table/array-of-tables header). Only the layout lessons use is
understood — [table], [[array]], key = value, inline tables on one line — which is all we need."""
from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")


def key_lines(text: str) -> dict[tuple, int]:
    lines: dict[tuple, int] = {}
    table: tuple = ()
    counts: dict[tuple, int] = {}
    in_multiline = False
    for n, line in enumerate(text.splitlines(), 1):
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        header = _HEADER.match(line)
        if header:
            path = tuple(p.strip().strip('"') for p in header.group(2).split("."))
            if header.group(1) == "[[":
                lines.setdefault(path, n)
                counts[path] = counts.get(path, -1) + 1
                table = path[:-1] + (path[-1], counts[path])
            else:
                table = _with_indices(path, counts)
            lines.setdefault(table, n)
            continue
        key = _KEY.match(line)
        if key:
            path = table + tuple(p.strip() for p in key.group(1).split("."))
            lines.setdefault(path, n)
            rest = line[key.end():]
            if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                in_multiline = True
    return lines


def _with_indices(path: tuple, counts: dict[tuple, int]) -> tuple:
    """[step.state.x] after [[step]]: the index of the step it belongs to goes after "step"."""
    out: tuple = ()
    for part in path:
        out += (part,)
        if out in counts:
            out += (counts[out],)
    return out


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of `path`, else of its nearest enclosing table, else 1."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1
