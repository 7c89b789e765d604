"""HuggingFace wav2vec 2.0 and HuBERT folders (hf:PATH) as audio models: every 20 ms frame's vector
(the transformer's last hidden state), a pooled utterance vector, and the self-attention over frames
of every layer and head (`output_attentions=True`, eager attention), frames labelled by time.

Frame t covers samples [t · hop, t · hop + receptive field) of the 16 kHz input; hop and receptive
field come from the folder's conv_kernel / conv_stride."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.contract.attention import AttentionPass
from engine.contract.loaded import LoadedModel
from engine.errors import ModelError
from engine.records.attention import ENCODER_SELF, STACK_NAMES, SequenceInfo
from engine.records.embeddings import Embeddings

RATE = 16_000


def conv_geometry(cfg: dict) -> tuple[int, int]:
    """(hop, receptive field) in samples of the feature encoder described by a config.json."""
    kernels = cfg.get("conv_kernel") or [10, 3, 3, 3, 3, 2, 2]
    strides = cfg.get("conv_stride") or [5, 2, 2, 2, 2, 2, 2]
    rf, hop = 1, 1
    for k, s in zip(kernels, strides):
        rf += (int(k) - 1) * hop
        hop *= int(s)
    return hop, rf


@dataclass(eq=False)
class HFAudioModel(LoadedModel):
    """A transformers Wav2Vec2Model / HubertModel (eager attention), eval mode."""

    hf_model: Any = None
    model_type: str = ""
    hop: int = 320
    receptive_field: int = 400
    sample_rate: int = RATE

    @property
    def min_samples(self) -> int:
        return int(self.receptive_field)

    def _wave(self, audio):
        import torch

        from engine.data.audio_checks import model_samples

        x = model_samples(self, audio)
        x = (x - x.mean()) / (x.std() + 1e-7)                 # what Wav2Vec2FeatureExtractor does
        return torch.from_numpy(x.astype(np.float32))[None].to(self.device)

    def _times(self, frames: int) -> np.ndarray:
        return ((np.arange(frames) * self.hop + self.receptive_field / 2) / self.sample_rate).astype(np.float32)

    def _run(self, wave, attentions: bool = False):
        import torch

        from engine.models.hooks import net_lock

        with net_lock(self.hf_model), torch.inference_mode():
            return self.hf_model(wave, output_attentions=attentions)

    def embed_audio(self, audio) -> Embeddings:
        h = self._run(self._wave(audio)).last_hidden_state[0].float().cpu().numpy().astype(np.float32)
        times = self._times(len(h))
        return Embeddings(labels=[f"{t:.2f} s" for t in times], vectors=h, kind="audio-frame", model=self.name,
                          metadata={"time": [f"{t:.2f}" for t in times], "source": [audio.name] * len(h)})

    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        wave = self._wave(inp)

        def run():
            import torch

            out = self._run(wave, attentions=True)
            if not out.attentions:
                raise ModelError(f"the {self.model_type} model in {self.source} returned no attention weights.")
            weights = torch.stack([a[0] for a in out.attentions])
            return [(STACK_NAMES[ENCODER_SELF], ENCODER_SELF, "frames", "frames", weights)]

        frames = int(self.hf_model._get_feat_extract_output_lengths(int(wave.shape[1])))
        times = self._times(frames)
        seqs = {"frames": SequenceInfo("frames", [f"{t:.2f} s" for t in times], unit="frame", times=times)}
        return AttentionPass(net=None, run=run, sequences=seqs, note=inp.note,
                             extra={"no_steps": f"'{self.model_type}' runs through transformers: weights, no steps."})


def load_audio_folder(ref: Any, folder: Path, cfg: dict, device: Any) -> HFAudioModel:
    """A wav2vec2 or HuBERT folder, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from engine.hf_import import HF_LOCK, hf_name

    try:
        with HF_LOCK:
            cls = hf_name("HubertModel" if cfg.get("model_type") == "hubert" else "Wav2Vec2Model")
            model = cls.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager")
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the {cfg.get('model_type')} folder {folder}: {exc}") from None
    model.eval().to(device)
    hop, rf = conv_geometry(cfg)
    return HFAudioModel(ref=ref, device=device, source=str(folder), hf_model=model, model_type=str(cfg["model_type"]),
                        hop=hop, receptive_field=rf)
