"""Issue 14, failure 7: a pytorch_model.bin that would run code, in an hf: folder, is refused in one
line (a pickle that could run code, not loaded, how to convert to safetensors), with no torch text."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from cli_inproc import check_contract, run_cli
from hf_folders import pickled_folder

from engine.errors import ModelError


def test_cli_refuses_a_code_pickle_in_one_line(tmp_path: Path) -> None:
    marker = tmp_path / "it-ran"
    folder = pickled_folder(tmp_path, evil=True, marker=marker)
    res = run_cli(["embed", f"hf:{folder}", "a cat", "--json"])
    check_contract(res, json_mode=True)
    assert res.rc == 2 and len(res.err.strip().splitlines()) == 1, res.explain()
    line = res.err.strip()
    assert "pickle that could run code" in line and "not loaded" in line and "safetensors" in line
    assert "weights_only" not in line and "WeightsUnpickler" not in line
    assert not marker.exists()


@pytest.mark.parametrize("backend", ["blocks", "transformers"])
def test_both_loaders_refuse_without_warnings(tmp_path: Path, backend: str) -> None:
    from engine.pretrained.hf_text import load_text_folder
    from engine.zoo import resolve

    marker = tmp_path / "it-ran"
    folder = pickled_folder(tmp_path, evil=True, marker=marker)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ModelError) as err:
            load_text_folder(resolve(f"hf:{folder}"), folder, "cpu", backend=backend)
    text = str(err.value)
    assert "\n" not in text and "pickle that could run code" in text and "save_pretrained" in text
    assert not [w for w in caught if "weights_only" in str(w.message)]
    assert not marker.exists()


def test_a_plain_tensor_pickle_still_loads(tmp_path: Path) -> None:
    folder = pickled_folder(tmp_path, evil=False)
    res = run_cli(["embed", f"hf:{folder}", "a cat", "--json"])
    check_contract(res, json_mode=True)
    assert res.rc == 0, res.explain()
