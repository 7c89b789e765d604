"""MLSP Explorer's Qt application. Renders engine results; never computes them.

Importing this package imports neither torch nor the engine's heavy modules.
"""
