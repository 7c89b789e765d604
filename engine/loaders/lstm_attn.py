"""Loading `lstm-attn`: the shipped weights (assets/lstm-attn/), a training run folder (its newest
checkpoint) or one checkpoint folder. Shipped and checkpoint folders hold `model.safetensors` and
`meta.json` (config and the word labels).

    python -m engine.loaders.lstm_attn RUN_OR_CHECKPOINT assets/lstm-attn    # export, float16
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import engine.contract.protocols_audio  # noqa: F401  (registers the CLASSIFY protocol of audio)
from engine.contract.attention import AttentionPass
from engine.contract.loaded import LoadedModel
from engine.errors import ModelError
from engine.records.attention import SequenceInfo
from engine.records.embeddings import Embeddings
from engine.records.spoken_word_prediction import WordPrediction

RATE = 16_000


@dataclass(eq=False)
class LstmAttnModel(LoadedModel):
    """A loaded lstm-attn: `net` (LstmAttnNet, eval mode) and the words it tells apart."""

    net: Any = None
    labels: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    sample_rate: int = RATE

    @property
    def min_samples(self) -> int:
        """The shortest input: one STFT window (25 ms)."""
        return int(self.net.cfg.n_fft)

    def _wave(self, audio):
        import torch

        from engine.data.audio_checks import model_samples

        return torch.from_numpy(model_samples(self, audio))[None].to(self.device)

    def _times(self, frames: int) -> np.ndarray:
        return (np.arange(frames) * self.net.cfg.hop / self.sample_rate).astype(np.float32)

    def run_audio(self, audio):
        """One recorded pass (engine.models.lstm_attn.LstmAttnOutput) over `audio`."""
        import torch

        from engine.models.hooks import net_lock

        wave = self._wave(audio)
        with net_lock(self.net), torch.inference_mode():
            return self.net.run(wave)

    def classify_audio(self, audio) -> WordPrediction:
        import torch

        out = self.run_audio(audio)
        probs = torch.softmax(out.logits[0].float(), -1).cpu().numpy().astype(np.float32)
        a = out.weights[0].float().cpu().numpy().astype(np.float32)
        return WordPrediction(input=audio.name, model=self.name, label=self.labels[int(probs.argmax())],
                              labels=tuple(self.labels), probs=probs, attention=a, times=self._times(len(a)),
                              duration=len(audio.samples) / audio.sample_rate, note=audio.note)

    def embed_audio(self, audio) -> Embeddings:
        """Every frame's biLSTM state h_t, labelled by time, with its attention weight a_t as a column."""
        out = self.run_audio(audio)
        h = out.states[0].float().cpu().numpy().astype(np.float32)
        a = out.weights[0].float().cpu().numpy()
        times = self._times(len(h))
        return Embeddings(labels=[f"{t:.2f} s" for t in times], vectors=h, kind="audio-frame", model=self.name,
                          metadata={"time": [f"{t:.2f}" for t in times], "attention": [f"{x:.4f}" for x in a],
                                    "source": [audio.name] * len(h)})

    def embed_utterance(self, audio) -> Embeddings:
        """The pooled summary l = Σ a_t h_t, one row, labelled with the predicted word."""
        import torch

        out = self.run_audio(audio)
        word = self.labels[int(torch.argmax(out.logits[0]))]
        return Embeddings(labels=[audio.name], vectors=out.pooled.float().cpu().numpy().astype(np.float32),
                          kind="utterance", model=self.name, metadata={"predicted": [word], "source": [audio.name]})

    def embed_clips(self, clips: np.ndarray, batch_size: int = 128) -> np.ndarray:
        """(N, D) pooled vectors l of (N, samples) float32 clips at 16 kHz."""
        import torch

        from engine.models.hooks import net_lock

        rows = []
        with net_lock(self.net), torch.inference_mode():
            for i in range(0, len(clips), batch_size):
                wave = torch.from_numpy(np.ascontiguousarray(clips[i:i + batch_size], np.float32)).to(self.device)
                rows.append(self.net.run(wave).pooled.float().cpu().numpy())
        return np.concatenate(rows).astype(np.float32) if rows else np.zeros((0, self.net.head.in_features), np.float32)

    def attention_pass(self, inp, generate: int = 0) -> AttentionPass:
        """The attention pooling over frames (stack "pooling": one query "l" over the frames, with times)."""
        wave = self._wave(inp)
        frames = int(wave.shape[1]) // self.net.cfg.hop + 1
        times = self._times(frames)
        seqs = {"frames": SequenceInfo("frames", [f"{t:.2f} s" for t in times], unit="frame", times=times),
                "pooled": SequenceInfo("pooled", ["l"])}
        return AttentionPass(net=self.net, run=lambda: self.net(wave), sequences=seqs, note=inp.note)


def _read_folder(folder: Path) -> tuple[dict, dict]:
    """(state dict of float32 tensors, meta) of a shipped or checkpoint folder."""
    from safetensors.torch import load_file

    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        state = {k: v.float() for k, v in load_file(str(folder / "model.safetensors")).items()}
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder} does not hold lstm-attn weights (model.safetensors + meta.json): {exc}.") from None
    if meta.get("family") != "lstm-attn" or not meta.get("labels"):
        raise ModelError(f"{folder} holds weights of '{meta.get('family')}', not lstm-attn.")
    return state, meta


def load_checkpoint_folder(folder: str | Path, ref: Any, device: Any) -> LstmAttnModel:
    """An lstm-attn from one folder holding model.safetensors and meta.json."""
    from engine.models.lstm_attn import LstmAttnConfig, build_lstm_attn

    folder = Path(folder)
    state, meta = _read_folder(folder)
    cfg = LstmAttnConfig(**meta["config"])
    net = build_lstm_attn(cfg, len(meta["labels"]))
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise ModelError(f"{folder}: the weights do not fit the model its meta.json describes ({exc}).") from None
    net.to(device).eval()
    return LstmAttnModel(ref=ref, device=device, source=str(folder), net=net, labels=tuple(meta["labels"]), meta=meta)


def load_lstm_attn(ref: Any, device: Any) -> LstmAttnModel:
    """The zoo loader: shipped weights, a run folder (newest readable checkpoint) or a checkpoint folder."""
    from engine.training.checkpoint import load_reference

    return load_reference(ref, lambda folder: load_checkpoint_folder(folder, ref, device))


def export(source: str | Path, folder: str | Path) -> Path:
    """Write a run's newest checkpoint (or a checkpoint folder) as float16 model.safetensors + meta.json."""
    from safetensors.torch import save_file

    from engine.training.runs import newest_checkpoint

    src = Path(source)
    ckpt = src if (src / "model.safetensors").is_file() else newest_checkpoint(src)
    if ckpt is None:
        raise ModelError(f"{src} has no checkpoint to export.")
    state, meta = _read_folder(Path(ckpt))
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.half().contiguous() for k, v in state.items()}, str(out / "model.safetensors"))
    meta = {**meta, "exported_from": Path(ckpt).name}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Export an lstm-attn run as shipped weights (float16).")
    parser.add_argument("source", help="run folder or checkpoint folder")
    parser.add_argument("folder", help="output folder, e.g. assets/lstm-attn")
    args = parser.parse_args()
    print(f"wrote {export(args.source, args.folder)}")


if __name__ == "__main__":
    main()
