"""The `mlsp` entry point. Compute commands live in `engine.cli`; what touches audio devices
(Qt Multimedia belongs to the application layer) is added here: the audio input devices of
`mlsp doctor`, and the command modules named in GUI_COMMANDS (`mlsp record`, `mlsp play`)."""
from __future__ import annotations

GUI_COMMANDS: list[str] = ["mlsp_gui.cli_record", "mlsp_gui.cli_play", "mlsp_gui.cli_lesson"]


def _extend_doctor() -> None:
    from engine.cli.commands import doctor
    from mlsp_gui.cli_audio import audio_facts

    if audio_facts not in doctor.FACT_PROVIDERS:
        doctor.FACT_PROVIDERS.append(audio_facts)


def main(argv: list[str] | None = None) -> int:
    from engine.cli import main as engine_main

    _extend_doctor()
    return engine_main(argv, extra_modules=GUI_COMMANDS)


def entry() -> None:
    """The `mlsp` console script: `main`, then `engine.cli.exit_process` (a quick exit after `train`)."""
    from engine.cli import exit_process

    exit_process(main())


if __name__ == "__main__":
    entry()
