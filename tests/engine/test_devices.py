"""Device choice: `auto` follows torch's own availability checks; bad names are ConfigErrors."""
from __future__ import annotations

import pytest

from engine.devices import list_devices, resolve_device
from engine.errors import ConfigError

torch = pytest.importorskip("torch")


def _expected_auto() -> str:
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    return "mps" if mps and mps.is_available() else "cpu"


def test_auto_follows_cuda_then_mps_then_cpu():
    assert resolve_device("auto").type == _expected_auto()
    assert resolve_device(None).type == _expected_auto()
    assert resolve_device(" CPU ") == torch.device("cpu")


def test_list_matches_what_torch_sees():
    found = {d.name: d for d in list_devices()}
    assert found["cpu"].available
    cuda = [d for d in found.values() if d.kind == "cuda" and d.available]
    assert len(cuda) == (torch.cuda.device_count() if torch.cuda.is_available() else 0)
    for d in cuda:
        assert resolve_device(d.name) == torch.device(d.name)
        assert torch.cuda.get_device_name(torch.device(d.name)) in d.description


@pytest.mark.parametrize("name", ["tpu", "cuda:x", "cuda:-1", "cudax", "gpu0"])
def test_malformed_names_are_refused(name):
    with pytest.raises(ConfigError, match=f"unknown device '{name}'"):
        resolve_device(name)


def test_absent_devices_are_refused_with_what_to_do():
    if torch.cuda.is_available():
        with pytest.raises(ConfigError, match=f"has {torch.cuda.device_count()} CUDA device"):
            resolve_device(f"cuda:{torch.cuda.device_count()}")
    else:
        with pytest.raises(ConfigError, match="CUDA is not available here; use --device cpu or auto"):
            resolve_device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if not (mps and mps.is_available()):
        with pytest.raises(ConfigError, match="Apple Metal is not available"):
            resolve_device("mps")
