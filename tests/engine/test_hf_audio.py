"""hf:PATH wav2vec 2.0 and HuBERT folders (tiny random configurations saved here): declared as audio
models from config.json alone, frame vectors equal to transformers' own last hidden state, attention
of every layer and head over frames labelled with their times, and pooled utterance vectors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.contract.capabilities import Capability, InputKind
from engine.contract.protocols import missing_protocols
from engine.records.inputs import AudioInput

RATE = 16_000


def save_tiny(folder, kind: str):
    import transformers as tf

    common = dict(hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                  conv_dim=(16, 16, 16), conv_kernel=(10, 4, 4), conv_stride=(5, 4, 4), num_conv_pos_embeddings=8,
                  num_conv_pos_embedding_groups=2, vocab_size=8)
    cfg = tf.HubertConfig(**common) if kind == "hubert" else tf.Wav2Vec2Config(**common)
    torch.manual_seed(0)
    model = tf.HubertModel(cfg) if kind == "hubert" else tf.Wav2Vec2Model(cfg)
    model.save_pretrained(str(folder))
    return folder


def clip(seconds=0.5) -> AudioInput:
    t = np.arange(int(seconds * RATE)) / RATE
    x = (0.3 * np.sin(2 * np.pi * 220 * t) * np.hanning(len(t))).astype(np.float32)
    return AudioInput(None, "tone.wav", x, RATE, seconds, RATE, 1, False, "")


@pytest.mark.parametrize("kind", ["wav2vec2", "hubert"])
def test_speech_folders_give_frames_and_attention_over_frames(tmp_path, kind):
    import transformers as tf

    from engine.probes.attention import attention
    from engine.probes.utterance import utterance_embedding
    from engine.zoo import load_model, resolve

    folder = save_tiny(tmp_path / kind, kind)
    ref = resolve(f"hf:{folder}")
    assert ref.inputs == (InputKind.AUDIO,) and ref.can(Capability.EMBED) and ref.can(Capability.ATTENTION)
    model = load_model(ref, "cpu")
    assert missing_protocols(model) == [] and model.capabilities == ref.capabilities
    audio = clip()
    emb = model.embed_audio(audio)
    cls = tf.HubertModel if kind == "hubert" else tf.Wav2Vec2Model
    hf = cls.from_pretrained(str(folder), attn_implementation="eager").eval()
    x = torch.from_numpy(audio.samples)[None]
    with torch.no_grad():
        out = hf((x - x.mean()) / (x.std() + 1e-7), output_attentions=True)
    np.testing.assert_allclose(emb.vectors, out.last_hidden_state[0].numpy(), atol=1e-5)
    frames = len(emb.vectors)
    assert frames == (len(audio.samples) - 85) // 80 + 1                      # hop 80, receptive field 85 samples
    maps = attention(model, audio)
    enc = next(s for s in maps.stacks if s.name == "encoder")
    assert enc.weights.shape == (2, 2, frames, frames)
    np.testing.assert_allclose(enc.weights[1], out.attentions[1][0].numpy(), atol=1e-5)
    seq = next(s for s in maps.sequences if s.name == "frames")
    np.testing.assert_allclose(np.diff(seq.times), 80 / RATE, atol=1e-6)
    assert utterance_embedding(model, audio).vectors.shape == (1, 32)
