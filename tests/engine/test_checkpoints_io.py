"""Safe checkpoint loading: safetensors headers checked, pickles with code refused unrun,
a checkpoint that does not fit leaves the loaded model untouched."""
import os
import pickle
import struct

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.checkpoints_io import apply_checkpoint, find_module, inspect_safetensors, pickle_globals, read_state_dict  # noqa: E402
from engine.errors import ModelError  # noqa: E402


class _RunsCode:
    """Unpickling this calls `touch` on a marker file: proof of execution if it ever happens."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def minilm():
    from engine.zoo import load_model

    return load_model("minilm", "cpu")


@pytest.fixture(scope="module")
def minilm_file():
    from engine.pretrained.minilm import minilm_folder

    return minilm_folder() / "model.safetensors"


def test_packaged_safetensors_header_matches_safetensors_own_reading(minilm_file):
    from safetensors import safe_open

    info = inspect_safetensors(minilm_file)
    assert info.format == "safetensors" and info.size_bytes == minilm_file.stat().st_size
    by_name = {t.name: t for t in info.tensors}
    with safe_open(str(minilm_file), "pt") as f:
        assert set(f.keys()) == set(by_name)
        for name in f.keys():
            tensor = f.get_tensor(name)
            assert by_name[name].shape == tuple(tensor.shape)
            assert by_name[name].nbytes == tensor.numel() * tensor.element_size()


def _weights(model) -> dict:
    return {k: v.detach().clone() for k, v in find_module(model)[1].state_dict().items()}


def test_apply_checkpoint_loads_changed_weights_into_a_copy(minilm, tmp_path):
    from safetensors.torch import save_file

    from engine.probes.embed import embed

    state = _weights(minilm)
    name = max(state, key=lambda k: state[k].numel())            # the token embedding table
    state[name] = state[name] * 0.5
    path = tmp_path / "half.safetensors"
    save_file(state, str(path))
    sentence = ["the cat sat on the mat"]
    before = embed(minilm, sentence).vectors
    changed = apply_checkpoint(minilm, path)
    assert changed.source == str(path)
    assert find_module(changed)[1] is not find_module(minilm)[1]
    torch.testing.assert_close(find_module(changed)[1].state_dict()[name], state[name])
    np.testing.assert_array_equal(embed(minilm, sentence).vectors, before)     # the loaded model is untouched
    assert not np.allclose(embed(changed, sentence).vectors, before, atol=1e-3)


def test_torch_state_dict_file_round_trips(minilm, tmp_path):
    path = tmp_path / "wrapped.pt"
    own = _weights(minilm)
    torch.save({"model": own, "step": 3}, path)
    state = read_state_dict(path)
    assert set(state) == set(own)
    for name, tensor in own.items():                 # a round trip is exact (torch.equal: no tolerance, and
        assert torch.equal(state[name], tensor), name     # 30x faster than assert_close on 90 MB)
    same = apply_checkpoint(minilm, path)
    for name, tensor in find_module(same)[1].state_dict().items():
        assert torch.equal(tensor, own[name]), name


@pytest.mark.parametrize("cut", [0.5, 0.999])
def test_truncated_safetensors_is_refused_with_sizes(minilm, tmp_path, cut):
    from safetensors.torch import save_file

    whole = tmp_path / "whole.safetensors"
    save_file(_weights(minilm), str(whole))
    data = whole.read_bytes()
    path = tmp_path / "cut.safetensors"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ModelError, match="truncated"):
        apply_checkpoint(minilm, path)


def test_malformed_safetensors_headers(tmp_path):
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"this is not a checkpoint at all")
    with pytest.raises(ModelError, match="not a valid safetensors"):
        inspect_safetensors(garbage)
    bad_json = tmp_path / "json.safetensors"
    bad_json.write_bytes(struct.pack("<Q", 5) + b"{nope" + b"\0" * 16)
    with pytest.raises(ModelError, match="not JSON"):
        inspect_safetensors(bad_json)
    lying = tmp_path / "lying.safetensors"
    header = b'{"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 8]}}'
    lying.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 8)
    with pytest.raises(ModelError, match="damaged"):
        inspect_safetensors(lying)
    tiny = tmp_path / "tiny.safetensors"
    tiny.write_bytes(b"\x01\x02")
    with pytest.raises(ModelError, match="only 2 bytes"):
        inspect_safetensors(tiny)


@pytest.mark.parametrize("as_torch_zip", [False, True])
def test_pickle_with_code_is_refused_without_running(tmp_path, as_torch_zip):
    marker = tmp_path / "it-ran"
    path = tmp_path / "evil.pt"
    if as_torch_zip:
        torch.save({"weight": torch.zeros(2), "payload": _RunsCode(marker)}, path)
    else:
        path.write_bytes(pickle.dumps(_RunsCode(marker)))
    with pytest.raises(ModelError, match=r"refused.*(posix|os|nt)\.system"):
        read_state_dict(path)
    assert not marker.exists()


def test_pickle_globals_reads_opcodes_only(tmp_path):
    marker = tmp_path / "it-ran"
    names = pickle_globals(pickle.dumps(_RunsCode(marker), protocol=2))
    assert any(n.endswith(".system") for n in names)
    assert not marker.exists()


def test_checkpoint_that_does_not_fit_names_the_tensors(minilm, tmp_path):
    from safetensors.torch import save_file

    path = tmp_path / "other.safetensors"
    state = _weights(minilm)
    first = next(iter(state))
    save_file({first: torch.zeros(3, 3), "not.a.weight": torch.zeros(2)}, str(path))
    with pytest.raises(ModelError, match=r"does not fit model 'minilm'.*missing.*unexpected.*other shapes"):
        apply_checkpoint(minilm, path)


def test_unsupported_and_missing_files(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        read_state_dict(tmp_path / "nope.safetensors")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ModelError, match="not a checkpoint this app reads"):
        read_state_dict(text)
    with pytest.raises(ModelError, match="is a folder"):
        read_state_dict(tmp_path)
