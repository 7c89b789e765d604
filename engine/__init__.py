"""MLSP Explorer engine: data, models, training and probes. No Qt, ever.

Importing this package is cheap: torch and transformers are imported by the
modules that need them, so the GUI can paint before they load.
"""
__version__ = "0.1.0"
