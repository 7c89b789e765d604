"""The `mlsp` entry point. Compute commands live in `engine.cli`; the ones that touch audio
devices (Qt Multimedia belongs to the application layer) are added here."""
from __future__ import annotations

import sys

GUI_COMMANDS: list[str] = []


def main(argv: list[str] | None = None) -> int:
    from engine.cli import main as engine_main

    return engine_main(argv, extra_modules=GUI_COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
