"""Shared test setup: Qt offscreen, no network, a private runs/home folder per session."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The window freezes the garbage collector's view of everything alive once torch is in (a GUI
# stall fix); here that would pin each test's windows and fail the fixtures' leak checks. The
# start-up test turns it back on in its own process.
os.environ["MLSP_GC_FREEZE"] = "0"
# The Training view keeps a trainer process warm (torch imported) for the next Start; in the suite
# that would be one more torch import per Training view on two cores. tests/gui/test_warm_start.py
# turns it on for itself.
os.environ.setdefault("MLSP_WARM_TRAINER", "0")
