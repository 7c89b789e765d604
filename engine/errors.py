"""Errors meant for the user: each message is one sentence saying what was wrong and what to do."""
from __future__ import annotations


class MlspError(Exception):
    """Base of every error the CLI prints as one line and the GUI shows as a notice."""


class InputError(MlspError):
    """An input file or text could not be used (binary, empty, too large, unreadable...)."""


class ModelError(MlspError):
    """A model could not be found, loaded, or does not support the asked task."""


class ConfigError(MlspError):
    """An invalid hyper-parameter, option or setting; the message names the key."""


class TrainingError(MlspError):
    """A training run failed in a way the user can act on (out of memory, disk full...)."""
