"""Declared capabilities: every registry entry says what it can do and takes without importing
torch; a HuggingFace folder's declaration comes from its config.json; every model that loads
offline implements the protocols of what it declares; a refusal names the models that can."""
from __future__ import annotations

import json
import subprocess
import sys

import hf_tiny
import pytest

from engine.contract.capabilities import Capability, InputKind
from engine.contract.loaded import LoadedModel
from engine.contract.protocols import missing_protocols
from engine.errors import ModelError
from engine.zoo import load_model, models_that_can, registry, resolve

NO_TORCH = r"""
import json, sys
from engine.cli import main
code = main(["models", "--json"])
print("TORCH:" + str(any(m == "torch" or m.startswith("torch.") for m in sys.modules)))
"""


def test_listing_the_registry_imports_no_torch():
    out = subprocess.run([sys.executable, "-c", NO_TORCH], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    doc, flag = out.stdout.rsplit("TORCH:", 1)
    assert flag.strip() == "False"
    entries = {e["id"]: e for e in json.loads(doc)}
    assert "generate" not in entries["minilm"]["capabilities"]
    assert entries["toy-mlp"]["capabilities"] == ["train"] and entries["toy-mlp"]["inputs"] == ["signal"]


def test_folders_declare_what_their_architecture_can_do():
    gpt2, bert, electra = (resolve(f"hf:{hf_tiny.tiny_folder(k)}") for k in ("gpt2", "bert", "electra"))
    assert gpt2.can(Capability.GENERATE) and gpt2.inputs == (InputKind.TEXT,)
    assert not bert.can(Capability.GENERATE) and bert.can(Capability.FILL_MASK)       # saved with an MLM head
    assert InputKind.TEXT_PAIR in bert.inputs
    assert not electra.can(Capability.FILL_MASK) and electra.can(Capability.ATTENTION)


@pytest.mark.parametrize("ref", ["minilm", "word2vec", "logmel", "patches", "hf:gpt2", "hf:bert", "hf:electra"])
def test_every_loaded_model_implements_what_it_declares(ref):
    if ref.startswith("hf:"):
        ref = f"hf:{hf_tiny.tiny_folder(ref[3:])}"
    model = load_model(ref, "cpu")
    assert model.capabilities == resolve(ref).capabilities
    assert missing_protocols(model) == []


def test_a_refusal_names_the_models_that_can():
    assert [s.id for s in models_that_can(Capability.WORD_VECTORS)] == ["word2vec"]
    assert {"logmel", "lstm-attn"} <= {s.id for s in models_that_can(Capability.EMBED, InputKind.AUDIO)}
    model = LoadedModel(ref=resolve("logmel"), device="cpu")
    with pytest.raises(ModelError, match="model 'logmel' cannot give attention weights; choose .*minilm.* or a "
                                         r"HuggingFace folder \(hf:PATH\)\."):
        model.require(Capability.ATTENTION)
    assert all(isinstance(c, Capability) for spec in registry().values() for c in spec.capabilities)


def test_declaring_train_needs_a_task():
    from engine.contract.spec import ModelSpec

    with pytest.raises(ValueError, match="train capability and a task go together"):
        ModelSpec(id="x", title="x", capabilities={"train"}, inputs=("text",), outputs=("vectors",), source="builtin",
                  description="", loader="x:y")
