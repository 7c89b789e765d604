"""`engine.probes.attention` on hf:PATH folders the tests build (tiny random BERT with an MLM head,
RoBERTa, DistilBERT, GPT-2, and ELECTRA through the transformers fallback) against
`transformers` with output_attentions=True on the same folder."""
import hf_tiny
import numpy as np
import pytest
import torch

from engine.errors import ModelError
from engine.pretrained.hf_text import HFTextModel
from engine.probes.attention import attention
from engine.records.attention import CAUSAL_SELF, ENCODER_SELF
from engine.records.inputs import text_input
from engine.zoo import load_model

PROMPT = "the cat sat on the mat"


@pytest.fixture(scope="module")
def folders():
    return {kind: hf_tiny.tiny_folder(kind) for kind in ("bert", "distilbert", "roberta", "gpt2", "electra")}


# The module whose output is the attention block's output (before residual and LayerNorm).
OUT_MODULE = {"bert": lambda m, l: m.encoder.layer[l].attention.output.dense,
              "roberta": lambda m, l: m.encoder.layer[l].attention.output.dense,
              "distilbert": lambda m, l: m.transformer.layer[l].attention.out_lin,
              "gpt2": lambda m, l: m.h[l].attn.c_proj}


def _hf_run(hf, kind, enc, layer):
    got = {}
    handle = OUT_MODULE[kind](hf, layer).register_forward_hook(lambda m, i, o: got.update(out=o[0].numpy()))
    kw = {"token_type_ids": enc.token_type_ids} if kind == "bert" else {}
    try:
        with torch.inference_mode():
            out = hf(enc.input_ids, output_attentions=True, **kw)
    finally:
        handle.remove()
    return torch.stack(out.attentions)[:, 0].numpy(), got["out"]


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert", "gpt2"])
def test_folder_weights_and_step_equal_transformers(folders, kind):
    model = load_model(f"hf:{folders[kind]}", "cpu")
    pair = None if kind == "gpt2" else "it was tired"
    maps = attention(model, PROMPT, pair=pair, step=(1, 2))
    ref_w, ref_out = _hf_run(hf_tiny.hf_model(folders[kind]), kind, model.encode(PROMPT, pair), layer=1)
    assert maps.weights.shape == ref_w.shape == (2, 4, len(maps.tokens), len(maps.tokens))
    assert np.abs(maps.weights - ref_w).max() < 1e-5
    assert np.allclose(maps.weights.sum(-1), 1.0, atol=1e-5)
    s = maps.step
    z = np.where(s.mask, s.q @ s.k.T * s.scale, -np.inf)
    soft = np.exp(z - z.max(1, keepdims=True))
    soft /= soft.sum(1, keepdims=True)
    assert np.abs(soft - s.weights).max() < 1e-5
    assert np.abs(s.concat @ s.w_o + s.b_o - s.out).max() < 1e-5
    assert np.abs(s.out - ref_out).max() < 1e-5
    if kind == "gpt2":
        assert maps.block_kinds == [CAUSAL_SELF] * 2 and maps.segments_q is None
        assert np.all(np.triu(maps.weights, k=1) == 0)               # nothing attends to the future
        assert np.array_equal(s.mask, np.tril(np.ones_like(s.mask)))
        assert maps.tokens[1] == " cat"                              # byte-level pieces decoded for display
    else:
        assert maps.block_kinds == [ENCODER_SELF] * 2
        b_start = int(np.argmax(maps.segments_q))
        assert maps.tokens[b_start:b_start + 3] in (["it", "was", "tired"], ["it", " was", " tired"])


def test_gpt2_generation_attention(folders):
    model = load_model(f"hf:{folders['gpt2']}", "cpu")
    hf = hf_tiny.hf_model(folders["gpt2"], lm_head=True)
    maps = attention(model, PROMPT, generate=5)
    prompt_ids = model.encode(PROMPT).input_ids
    with torch.inference_mode():
        expected = hf.generate(prompt_ids, max_new_tokens=5, do_sample=False, pad_token_id=0)
        ref = torch.stack(hf(expected, output_attentions=True).attentions)[:, 0].numpy()
    assert maps.prompt_length == prompt_ids.shape[1]
    assert len(maps.tokens) == prompt_ids.shape[1] + 5 == expected.shape[1]
    assert maps.tokens == model.display_tokens(expected[0])
    assert np.abs(maps.weights - ref).max() < 1e-5
    assert np.all(np.triu(maps.weights, k=1) == 0)


def test_gpt2_long_prompt_is_truncated_to_leave_room_for_generation(folders):
    model = load_model(f"hf:{folders['gpt2']}", "cpu")               # 64 positions
    maps = attention(model, " ".join([PROMPT] * 30), generate=4)
    assert maps.truncated and maps.prompt_length == 60 and maps.weights.shape[-1] == 64
    assert "60" in maps.note


def test_uncovered_architecture_falls_back_to_transformers(folders):
    model = load_model(f"hf:{folders['electra']}", "cpu")
    assert isinstance(model, HFTextModel) and model.attention_pass(text_input(PROMPT)).net is None
    maps = attention(model, PROMPT, pair="it was tired", step=(0, 0))
    ref_w, _ = _hf_run_plain(hf_tiny.hf_model(folders["electra"]), model.encode(PROMPT, "it was tired"))
    assert np.abs(maps.weights - ref_w).max() < 1e-6
    assert maps.step is None and "transformers" in maps.note
    with pytest.raises(ModelError, match=r"cannot generate text; choose (\S+ or )?(\S+, )*a GPT-2 folder"):
        attention(model, PROMPT, generate=2)


def _hf_run_plain(hf, enc):
    with torch.inference_mode():
        out = hf(enc.input_ids, token_type_ids=enc.token_type_ids, output_attentions=True)
    return torch.stack(out.attentions)[:, 0].numpy(), None
