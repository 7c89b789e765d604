"""Loading `wav2vec-mini`: the shipped weights (assets/wav2vec-mini/), a training run folder (its
newest checkpoint) or one checkpoint folder (model.safetensors + meta.json).

    python -m engine.loaders.wav2vec_mini RUN_OR_CHECKPOINT assets/wav2vec-mini    # export, float16
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.contract.attention import AttentionPass
from engine.contract.loaded import LoadedModel
from engine.errors import ModelError
from engine.records.attention import SequenceInfo
from engine.records.embeddings import Embeddings
from engine.records.wav2vec import MaskedPrediction

RATE = 16_000
FAMILY = "wav2vec-mini"


@dataclass(eq=False)
class Wav2VecMiniModel(LoadedModel):
    """A loaded wav2vec-mini: `net` (Wav2VecMini, eval mode)."""

    net: Any = None
    meta: dict = field(default_factory=dict)
    sample_rate: int = RATE

    @property
    def min_samples(self) -> int:
        """The receptive field of one frame (325 samples, 20 ms)."""
        return int(self.net.cfg.receptive_field)

    def _wave(self, audio):
        import torch

        from engine.data.audio_checks import model_samples

        return torch.from_numpy(model_samples(self, audio))[None].to(self.device)

    def _times(self, frames: int) -> np.ndarray:
        """Centre of each frame's receptive field, in seconds."""
        cfg = self.net.cfg
        return ((np.arange(frames) * cfg.hop + cfg.receptive_field / 2) / self.sample_rate).astype(np.float32)

    def encode(self, wave, mask=None, generator=None):
        import torch

        from engine.models.hooks import net_lock

        with net_lock(self.net), torch.inference_mode():
            return self.net.encode(wave, mask, generator)

    def embed_audio(self, audio) -> Embeddings:
        """Every 20 ms frame's context vector (the transformer's output), labelled by time, with its codes."""
        out = self.encode(self._wave(audio))
        h = out.hidden[0].float().cpu().numpy().astype(np.float32)
        times = self._times(len(h))
        codes = out.codes[0].cpu().numpy()
        return Embeddings(labels=[f"{t:.2f} s" for t in times], vectors=h, kind="audio-frame", model=self.name,
                          metadata={"time": [f"{t:.2f}" for t in times], "code": ["-".join(map(str, c)) for c in codes],
                                    "source": [audio.name] * len(h)})

    def embed_utterance(self, audio) -> Embeddings:
        """One row: the pooled context vectors (mean and std over the frames of the word)."""
        vec = self.embed_clips(self._wave(audio).cpu().numpy())
        return Embeddings(labels=[audio.name], vectors=vec, kind="utterance", model=self.name,
                          metadata={"source": [audio.name]})

    def embed_clips(self, clips: np.ndarray, batch_size: int = 128) -> np.ndarray:
        """(N, 2 D) of (N, samples) float32 clips: mean and std of the context vectors over the frames
        within 30 dB of the loudest (the word, not the silence around it)."""
        import torch

        from engine.probes.utterance import frame_levels, pool_frames

        rows = []
        for i in range(0, len(clips), batch_size):
            part = np.ascontiguousarray(clips[i:i + batch_size], np.float32)
            hidden = self.encode(torch.from_numpy(part).to(self.device)).hidden.float().cpu().numpy()
            for x, h in zip(part, hidden):
                rows.append(pool_frames(h, frame_levels(x, len(h))))
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 2 * self.net.cfg.d_model), np.float32)

    def masked_prediction(self, audio, seed: int = 0) -> MaskedPrediction:
        """Mask spans of `audio`'s frames (seeded) and score each masked frame's context vector against its
        true quantised target and K distractors: what the pre-training task asks."""
        import torch

        from engine.models.wav2vec_mini import contrastive_scores, span_mask

        wave = self._wave(audio)
        cfg = self.net.cfg
        g = torch.Generator().manual_seed(seed)
        plain = self.encode(wave)
        frames = plain.codes.shape[1]
        mask = span_mask(1, frames, cfg.mask_prob, cfg.mask_span, g).to(self.device)
        out = self.encode(wave, mask, g)
        with torch.inference_mode():
            s = contrastive_scores(out, cfg.distractors, g)
        probs = plain.probs[0].float().cpu().numpy()                           # (T, G, V)
        return MaskedPrediction(input=audio.name, model=self.name, times=self._times(frames),
                                mask=mask[0].cpu().numpy(), codes=plain.codes[0].cpu().numpy(),
                                masked_frames=s.cols.cpu().numpy(), positive=s.positive.cpu().numpy(),
                                negatives=s.negatives.cpu().numpy(), distractor_frames=s.distractor_frames.cpu().numpy(),
                                code_probs=probs, entries=cfg.entries, duration=len(audio.samples) / audio.sample_rate)

    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        """Self-attention over the frames, every layer and head (stack "encoder"), frames labelled by time."""
        wave = self._wave(inp)
        from engine.models.wav2vec_mini import frames_for

        times = self._times(frames_for(int(wave.shape[1])))
        seqs = {"frames": SequenceInfo("frames", [f"{t:.2f} s" for t in times], unit="frame", times=times)}
        return AttentionPass(net=self.net, run=lambda: self.net.encode(wave), sequences=seqs, note=inp.note)


def _read_folder(folder: Path) -> tuple[dict, dict]:
    from safetensors.torch import load_file

    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        state = {k: (v.float() if v.is_floating_point() else v) for k, v in load_file(str(folder / "model.safetensors")).items()}
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder} does not hold {FAMILY} weights (model.safetensors + meta.json): {exc}.") from None
    if meta.get("family") != FAMILY:
        raise ModelError(f"{folder} holds weights of '{meta.get('family')}', not {FAMILY}.")
    return state, meta


def load_checkpoint_folder(folder: str | Path, ref: Any, device: Any) -> Wav2VecMiniModel:
    from engine.models.wav2vec_mini import Wav2VecConfig, build_wav2vec_mini

    folder = Path(folder)
    state, meta = _read_folder(folder)
    net = build_wav2vec_mini(Wav2VecConfig(**meta["config"]))
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise ModelError(f"{folder}: the weights do not fit the model its meta.json describes ({exc}).") from None
    net.to(device).eval()
    return Wav2VecMiniModel(ref=ref, device=device, source=str(folder), net=net, meta=meta)


def load_wav2vec_mini(ref: Any, device: Any) -> Wav2VecMiniModel:
    """The zoo loader: shipped weights, a run folder (newest readable checkpoint) or a checkpoint folder."""
    from engine.training.checkpoint import load_reference

    return load_reference(ref, lambda folder: load_checkpoint_folder(folder, ref, device))


def export(source: str | Path, folder: str | Path) -> Path:
    """A run's newest checkpoint (or a checkpoint folder) as float16 model.safetensors + meta.json."""
    from safetensors.torch import save_file

    from engine.training.runs import newest_checkpoint

    src = Path(source)
    ckpt = src if (src / "model.safetensors").is_file() else newest_checkpoint(src)
    if ckpt is None:
        raise ModelError(f"{src} has no checkpoint to export.")
    state, meta = _read_folder(Path(ckpt))
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in state.items()},
              str(out / "model.safetensors"))
    (out / "meta.json").write_text(json.dumps({**meta, "exported_from": Path(ckpt).name}, indent=1) + "\n",
                                   encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=f"Export a {FAMILY} run as shipped weights (float16).")
    parser.add_argument("source", help="run folder or checkpoint folder")
    parser.add_argument("folder", help=f"output folder, e.g. assets/{FAMILY}")
    args = parser.parse_args()
    print(f"wrote {export(args.source, args.folder)}")


if __name__ == "__main__":
    main()
