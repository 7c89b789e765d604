"""HuggingFace checkpoints on the project's blocks equal `transformers` on the same weights:
the packaged MiniLM, and tiny random BERT (saved with an MLM head), RoBERTa, DistilBERT and GPT-2
folders built here. Hidden states of every layer, padded batches, GPT-2 logits."""
import shutil

import hf_tiny
import numpy as np
import pytest
import torch

from engine.contract.capabilities import Capability
from engine.errors import ModelError
from engine.pretrained.text_model import BlocksTextModel
from engine.probes.attention import attention_modules_of
from engine.zoo import load_model

TEXTS = ["Thinking machines attend to every word.", "q1 · k1 = 112 and q1 · k2 = 96; divide by √dk, then softmax.",
         "Self-attention: each token looks at all the others, weighted by similarity."]


@pytest.fixture(scope="module")
def minilm():
    model = load_model("minilm", "cpu")
    return model, hf_tiny.hf_model(model.source)


@pytest.fixture(scope="module")
def folders():
    return {kind: hf_tiny.tiny_folder(kind) for kind in ("bert", "distilbert", "roberta", "gpt2")}


def _max_diff(ours, theirs) -> float:
    return max(float((a - b).abs().max()) for a, b in zip(ours, theirs))


def test_minilm_runs_on_the_blocks_and_equals_transformers(minilm):
    model, hf = minilm
    assert isinstance(model, BlocksTextModel) and attention_modules_of(model.net)
    for text in TEXTS:
        enc = model.encode(text)
        with torch.inference_mode():
            ours = model.run(enc.input_ids, None, enc.token_type_ids, hidden=True)
            ref = hf(enc.input_ids, token_type_ids=enc.token_type_ids, output_hidden_states=True)
        assert len(ours.hidden_states) == 7
        assert _max_diff(ours.hidden_states, ref.hidden_states) < 1e-5


def test_minilm_padded_batch_equals_transformers(minilm):
    model, hf = minilm
    enc = model.tokenizer(TEXTS, padding=True, return_tensors="pt")
    assert not bool(enc["attention_mask"].all())                    # the batch really is padded
    with torch.inference_mode():
        ours = model.run(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]).last_hidden_state
        ref = hf(**enc).last_hidden_state
    keep = enc["attention_mask"].bool()
    assert float((ours - ref)[keep].abs().max()) < 1e-5


def test_hidden_states_record(minilm):
    model, hf = minilm
    st = model.hidden_states(TEXTS[0])
    enc = model.encode(TEXTS[0])
    with torch.inference_mode():
        ref = torch.stack(hf(enc.input_ids, output_hidden_states=True).hidden_states)[:, 0].numpy()
    assert st.states.shape == (7, len(st.tokens), 384) and st.layers == 6
    assert st.tokens[0] == "[CLS]" and st.tokens[-1] == "[SEP]"
    assert np.abs(st.states - ref).max() < 1e-5


@pytest.mark.parametrize("kind", ["bert", "distilbert", "roberta", "gpt2"])
def test_tiny_folders_equal_transformers(folders, kind):
    model = load_model(f"hf:{folders[kind]}", "cpu")
    assert isinstance(model, BlocksTextModel)
    hf = hf_tiny.hf_model(folders[kind])
    enc = model.tokenizer(["the cat sat on the mat", "it was tired"], padding=True, return_tensors="pt")
    keep = enc["attention_mask"].bool()
    types = enc.get("token_type_ids") if kind == "bert" else None
    kw = {"token_type_ids": types} if types is not None else {}
    with torch.inference_mode():
        ours = model.run(enc["input_ids"], enc["attention_mask"], types, hidden=True)
        ref = hf(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], output_hidden_states=True, **kw)
    assert len(ours.hidden_states) == 3
    for a, b in zip(ours.hidden_states, ref.hidden_states):
        assert float((a - b)[keep].abs().max()) < 1e-5


def test_gpt2_logits_equal_transformers(folders):
    model = load_model(f"hf:{folders['gpt2']}", "cpu")
    hf = hf_tiny.hf_model(folders["gpt2"], lm_head=True)
    ids = model.encode("the cat sat on the mat").input_ids
    with torch.inference_mode():
        ours = model.net(ids).logits
        ref = hf(ids).logits
    assert float((ours - ref).abs().max()) < 1e-4 * float(ref.abs().max())
    assert model.causal and model.can(Capability.GENERATE) and not load_model("minilm").can(Capability.GENERATE)


def test_pickled_checkpoint_loads_with_weights_only(folders, tmp_path):
    """A folder with pytorch_model.bin instead of safetensors gives the same model."""
    from safetensors.torch import load_file

    src = folders["distilbert"]
    dst = shutil.copytree(src, tmp_path / "bin")
    (dst / "model.safetensors").unlink()
    torch.save(load_file(str(src / "model.safetensors")), dst / "pytorch_model.bin")
    a, b = load_model(f"hf:{src}", "cpu"), load_model(f"hf:{dst}", "cpu")
    for (name, p), (_, q) in zip(a.net.state_dict().items(), b.net.state_dict().items()):
        assert torch.equal(p, q), name


def test_incomplete_checkpoint_is_a_model_error(folders, tmp_path):
    from safetensors.torch import load_file, save_file

    dst = shutil.copytree(folders["bert"], tmp_path / "broken")
    state = load_file(str(dst / "model.safetensors"))
    del state["bert.encoder.layer.1.attention.self.key.weight"]
    save_file(state, str(dst / "model.safetensors"))
    with pytest.raises(ModelError, match="lack 1 tensor"):
        load_model(f"hf:{dst}", "cpu")
    (dst / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match="cannot read the weights"):
        load_model(f"hf:{dst}", "cpu")
