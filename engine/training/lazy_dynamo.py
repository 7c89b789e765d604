"""Keep torch._dynamo unimported while nothing compiles.

`torch.optim.Optimizer.__init__`, `zero_grad`, `state_dict`, `load_state_dict` and
`add_param_group` are wrapped by `torch._disable_dynamo`, whose wrapper imports torch._dynamo on
the first call (about 1 s, plus 0.3 s of interpreter teardown, on two cores: a third of a short
word2vec run's process). The wrapper looks for the attribute `__dynamo_disable` on the function it
wraps and, when present, calls that instead of importing. The trainer never compiles, so before a
run this module sets the attribute of each of those functions to the function itself — the call
is then exactly the undecorated method, as it is whenever dynamo is not tracing. Nothing is changed
once torch._dynamo has been imported (someone compiles in this process), nor with
MLSP_IMPORT_DYNAMO=1.
"""
from __future__ import annotations

import os
import sys

METHODS = ("__init__", "zero_grad", "state_dict", "load_state_dict", "add_param_group")


def skip_dynamo_import() -> int:
    """Mark the optimizer's dynamo-disabled methods as resolved; the number marked."""
    if "torch._dynamo" in sys.modules or os.environ.get("MLSP_IMPORT_DYNAMO") == "1":
        return 0
    import torch

    marked = 0
    for name in METHODS:
        original = getattr(getattr(torch.optim.Optimizer, name, None), "__wrapped__", None)
        if original is not None and getattr(original, "__dynamo_disable", None) is None:
            original.__dynamo_disable = original
            marked += 1
    return marked
