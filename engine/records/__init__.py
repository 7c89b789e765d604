"""Typed records the probes return: plain dataclasses of numpy arrays and strings.

This is the one contract between the engine, the GUI views and the CLI. One module per
family of records; none of them imports torch.
"""
