"""`engine.probes.attention` on the packaged MiniLM against `transformers` (BertModel, eager
attention, output_attentions=True) on the same text: weights, the recorded step of one head,
sentence pairs, truncation past 512 positions, and the transformers fallback."""
from pathlib import Path

import hf_tiny
import numpy as np
import pytest
import torch

from engine.errors import InputError, ModelError
from engine.pretrained.hf_text import HFTextModel, load_text_folder
from engine.probes.attention import attention
from engine.records.attention import ENCODER_SELF
from engine.zoo import load_model, resolve

TEXTS = ["Thinking machines attend to every word.", "The animal didn't cross the street because it was too tired.",
         "Queries, keys and values: softmax(QKᵀ/√d) V."]


@pytest.fixture(scope="module")
def minilm():
    model = load_model("minilm", "cpu")
    return model, hf_tiny.hf_model(model.source)


def _reference(hf, enc, capture_layer: int | None = None):
    """HF attention weights (L, H, T, S) and, optionally, one layer's attention output (T, D)."""
    got = {}
    handle = None
    if capture_layer is not None:
        dense = hf.encoder.layer[capture_layer].attention.output.dense
        handle = dense.register_forward_hook(lambda m, i, o: got.update(out=o[0].numpy()))
    try:
        with torch.inference_mode():
            out = hf(enc.input_ids, token_type_ids=enc.token_type_ids, output_attentions=True,
                     output_hidden_states=True)
    finally:
        if handle is not None:
            handle.remove()
    return torch.stack(out.attentions)[:, 0].numpy(), out.hidden_states, got.get("out")


def test_weights_equal_transformers(minilm):
    model, hf = minilm
    for text in TEXTS:
        maps = attention(model, text)
        ref, _, _ = _reference(hf, model.encode(text))
        assert maps.weights.shape == ref.shape == (6, 12, len(maps.tokens), len(maps.tokens))
        assert maps.weights.dtype == np.float32
        assert np.abs(maps.weights - ref).max() < 1e-5
        assert np.allclose(maps.weights.sum(-1), 1.0, atol=1e-5)
        assert maps.block_kinds == [ENCODER_SELF] * 6 and maps.tokens == maps.tokens_k
        assert not maps.truncated and maps.step is None


def test_step_recomputes_the_real_attention_output(minilm):
    model, hf = minilm
    layer, head = 3, 7
    maps = attention(model, TEXTS[1], step=(layer, head))
    s = maps.step
    ref_w, ref_hidden, ref_out = _reference(hf, model.encode(TEXTS[1]), capture_layer=layer)
    # x is the layer's input (post-LN BERT: the previous layer's output) and the recorded numbers chain up
    assert np.abs(s.x - ref_hidden[layer][0].numpy()).max() < 1e-5
    assert np.allclose(s.x @ s.w_q + s.b_q, s.q, atol=1e-5)
    assert np.allclose(s.x @ s.w_k + s.b_k, s.k, atol=1e-5)
    assert np.allclose(s.x @ s.w_v + s.b_v, s.v, atol=1e-5)
    assert np.allclose(s.q @ s.k.T, s.scores, atol=1e-5)
    assert s.scale == pytest.approx(1 / np.sqrt(s.head_dim)) and s.head_dim == 32
    additive = np.where(s.mask, 0.0, -np.inf)
    z = s.q @ s.k.T * s.scale + additive
    assert np.allclose(z, s.scaled, atol=1e-5)
    soft = np.exp(z - z.max(1, keepdims=True))
    soft /= soft.sum(1, keepdims=True)
    assert np.abs(soft - s.weights).max() < 1e-6 and np.abs(s.weights - ref_w[layer, head]).max() < 1e-5
    assert np.allclose(soft @ s.v, s.head_out, atol=1e-5)
    dh = s.head_dim
    assert np.allclose(s.concat[:, head * dh:(head + 1) * dh], s.head_out, atol=1e-6)
    recomputed = s.concat @ s.w_o + s.b_o
    assert np.abs(recomputed - s.out).max() < 1e-5
    assert np.abs(s.out - ref_out).max() < 1e-5                      # == BertSelfOutput.dense's output
    assert s.mask.all() and np.array_equal(s.x_kv, s.x)


def test_sentence_pair_segments(minilm):
    model, hf = minilm
    maps = attention(model, "The cat sat on the mat.", pair="It was tired.")
    enc = model.encode("The cat sat on the mat.", "It was tired.")
    assert list(maps.segments_q) == enc.token_type_ids[0].tolist()
    sep = maps.tokens.index("[SEP]")
    assert set(maps.segments_q[:sep + 1]) == {0} and set(maps.segments_q[sep + 1:]) == {1}
    ref, _, _ = _reference(hf, enc)
    assert np.abs(maps.weights - ref).max() < 1e-5


def test_600_tokens_are_truncated_to_512_with_a_note(minilm):
    model, hf = minilm
    text = " ".join(f"word{i % 7}" if i % 3 else "attention" for i in range(600))
    maps = attention(model, text, step=(5, 0))
    assert maps.truncated and maps.weights.shape == (6, 12, 512, 512)
    assert "512" in maps.note and maps.tokens[-1] == "[SEP]"
    assert maps.step.weights.shape == (512, 512)
    ids = model.tokenizer(text, truncation=True, max_length=512, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        ref = hf(ids, output_attentions=True).attentions[5][0].numpy()
    assert np.abs(maps.weights[5] - ref).max() < 1e-5
    st = model.hidden_states(text)
    assert st.truncated and st.states.shape == (7, 512, 384)


def test_bad_requests_are_input_errors(minilm):
    model, _ = minilm
    with pytest.raises(InputError, match="layer 6 does not exist"):
        attention(model, TEXTS[0], step=(6, 0))
    with pytest.raises(InputError, match="head 12 does not exist"):
        attention(model, TEXTS[0], step=(0, 12))
    with pytest.raises(InputError, match="empty"):
        attention(model, "   ")
    with pytest.raises(ModelError, match=r"cannot generate text; choose (\S+ or )?(\S+, )*a GPT-2 folder"):
        attention(model, TEXTS[0], generate=3)


def test_transformers_fallback_gives_the_same_weights(minilm):
    model, _ = minilm
    fallback = load_text_folder(resolve("minilm"), Path(model.source), torch.device("cpu"), backend="transformers")
    assert isinstance(fallback, HFTextModel)
    ours = attention(model, TEXTS[2])
    theirs = attention(fallback, TEXTS[2], step=(0, 0))
    assert theirs.step is None and "step-by-step" in theirs.note
    assert theirs.tokens == ours.tokens
    assert np.abs(theirs.weights - ours.weights).max() < 1e-5
