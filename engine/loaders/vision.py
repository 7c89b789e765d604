"""Loading the vision models (vit, vit-mae, rotnet, simclr, cluster): shipped weights in
assets/NAME/, a run folder (its newest checkpoint) or one checkpoint folder.

A shipped or exported folder holds model.safetensors (fp16 is fine) and meta.json ({"family",
"config", "classes", ...}); `python -m engine.loaders.vision RUN assets/NAME` exports a run's
newest checkpoint into that layout.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import engine.contract.protocols_vision  # noqa: F401  (registers RECONSTRUCT / CLASSIFY of images)
from engine.contract.loaded import LoadedModel
from engine.errors import ModelError
from engine.records.attention import SequenceInfo
from engine.records.embeddings import Embeddings
from engine.records.vision import ClassProbabilities

ROTATIONS = ["0°", "90°", "180°", "270°"]
CONFIGS = {"vit": "engine.models.vit:ViTConfig", "vit-mae": "engine.models.vit_mae:MAEConfig",
           "rotnet": "engine.models.pretext_configs:RotNetConfig", "simclr": "engine.models.pretext_configs:SimCLRConfig",
           "cluster": "engine.models.pretext_configs:ClusterConfig"}


def config_class(family: str):
    import importlib

    module, name = CONFIGS[family].split(":")
    return getattr(importlib.import_module(module), name)


def build_net(family: str, config: dict):
    """The nn.Module of a family from its config fields."""
    from dataclasses import fields

    cls = config_class(family)
    names = {f.name for f in fields(cls)}
    cfg = cls(**{k: v for k, v in config.items() if k in names})
    if family == "vit-mae":
        from engine.models.vit_mae import MAE

        return MAE(cfg), cfg
    from engine.models.pretext_configs import vit_fields
    from engine.models.vit import ViT

    return ViT(vit_fields(cfg)), cfg


@dataclass(eq=False)
class VisionModel(LoadedModel):
    """A loaded vision transformer: `net` (ViT or MAE, eval mode), its `config` and `family`."""

    net: Any = None
    config: Any = None
    family: str = ""
    classes: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    pixel_mean: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])     # HF folders normalise pixels
    pixel_std: list[float] = field(default_factory=lambda: [1.0, 1.0, 1.0])

    @property
    def backbone(self):
        """The ViT encoder (MAE's encoder for vit-mae)."""
        return self.net.encoder if self.family == "vit-mae" else self.net

    @property
    def image_size(self) -> int:
        return int(self.config.image_size)

    @property
    def patch(self) -> int:
        return int(self.config.patch)

    @property
    def grid(self) -> int:
        return self.image_size // self.patch

    def input_pixels(self, image) -> np.ndarray:
        """(S, S, 3) float32 in 0..1: the image squeezed to the model's square (bilinear)."""
        from engine.probes.image_patches import resized

        return resized(image, self.image_size)

    def _tensor(self, pixels: np.ndarray):
        import torch

        x = np.asarray(pixels, np.float32)
        x = x[None] if x.ndim == 3 else x
        x = (x - np.asarray(self.pixel_mean, np.float32)) / np.asarray(self.pixel_std, np.float32)
        return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2))).to(self.device)

    def image_features(self, images: np.ndarray) -> np.ndarray:
        """(N, S, S, 3) float32 at the model's size -> (N, D) class-token features (what the probe reads)."""
        return np.ascontiguousarray(self.image_states(images)[:, 0])

    def image_states(self, images: np.ndarray, batch: int = 128) -> np.ndarray:
        """(N, S, S, 3) float32 at the model's size -> (N, 1 + grid², D): the class token, then every
        patch token after the encoder (the rows `embed_image` gives, for a batch of images)."""
        import torch

        from engine.models.hooks import net_lock

        out = []
        with net_lock(self.net), torch.no_grad():
            for i in range(0, len(images), batch):
                states = self.backbone.encode(self._tensor(images[i:i + batch])).last_hidden_state
                out.append(states.float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, 1 + self.grid ** 2, self.config.d_model), np.float32)

    def token_labels(self) -> list[str]:
        rows, cols = np.divmod(np.arange(self.grid * self.grid), self.grid)
        return ["[CLS]"] + [f"r{r} c{c}" for r, c in zip(rows, cols)]

    def embed_image(self, image) -> Embeddings:
        """The class token and every patch token after the encoder: (1 + N, D), labelled "[CLS]", "r3 c7"."""
        import torch

        from engine.models.hooks import net_lock

        with net_lock(self.net), torch.no_grad():
            states = self.backbone.encode(self._tensor(self.input_pixels(image))).last_hidden_state[0]
        labels = self.token_labels()
        n = len(labels)
        rows = [""] + [lab.split()[0][1:] for lab in labels[1:]]
        cols = [""] + [lab.split()[1][1:] for lab in labels[1:]]
        metadata = {"token": ["class"] + ["patch"] * (n - 1), "row": rows, "column": cols, "source": [image.name] * n}
        return Embeddings(labels=labels, vectors=states.float().cpu().numpy(), kind="image-patch",
                          model=self.name, metadata=metadata)

    def attention_pass(self, inp, generate: int = 0):
        """The encoder over every patch of the image (MAE's encoder unmasked)."""
        from engine.contract.attention import AttentionPass

        x = self._tensor(self.input_pixels(inp))
        labels = self.token_labels()
        seq = SequenceInfo(name="tokens", labels=labels, unit="patch", grid=(self.grid, self.grid), grid_offset=1)
        return AttentionPass(net=self.backbone, run=lambda: self.backbone.encode(x), sequences={"tokens": seq})

    def reconstruct_pixels(self, pixels: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(S, S, 3) pixels and (rows, cols) bool hidden patches -> (S, S, 3) the decoder's prediction."""
        import torch

        from engine.models.hooks import net_lock
        from engine.models.vit import unpatchify
        from engine.models.vit_mae import noise_for_mask
        from engine.models.vit_mae import reconstruct_pixels as to_pixels

        if self.family != "vit-mae":
            raise ModelError(f"model '{self.name}' cannot reconstruct masked regions; choose vit-mae.")
        hidden = torch.from_numpy(np.asarray(mask, bool).reshape(1, -1)).to(self.device)
        x = self._tensor(pixels)
        with net_lock(self.net), torch.no_grad():
            out = self.net(x, noise=noise_for_mask(hidden), mask_ratio=float(hidden.float().mean()))
            pred = to_pixels(self.net, out.pred.float(), x)
            img = unpatchify(pred, self.patch, self.config.channels)[0].permute(1, 2, 0).cpu().numpy()
        img = img * np.asarray(self.pixel_std, np.float32) + np.asarray(self.pixel_mean, np.float32)
        return np.clip(img, 0, 1).astype(np.float32)

    def class_names(self) -> list[str]:
        if self.family == "rotnet":
            return list(ROTATIONS)
        n = int(self.config.n_classes)
        names = list(self.classes)[:n]
        return names + [str(i) for i in range(len(names), n)]

    def classify_image(self, image) -> ClassProbabilities:
        """Class probabilities of the image (vit: its classes; rotnet: the rotation), best first."""
        import torch

        from engine.models.hooks import net_lock

        with net_lock(self.net), torch.no_grad():
            probs = torch.softmax(self.net(self._tensor(self.input_pixels(image))).float(), dim=-1)[0].cpu().numpy()
        names = self.class_names()
        order = np.argsort(-probs)
        return ClassProbabilities(labels=[names[i] for i in order], probs=probs[order].astype(np.float32), model=self.name)


def _read_folder(folder: Path) -> tuple[dict, dict]:
    """(state dict of float32 tensors, meta) of an exported folder or a checkpoint folder."""
    import torch

    from engine.training.runs import load_model_weights

    if (folder / "meta.json").is_file() and not (folder / "model.safetensors").is_file():
        raise ModelError(f"{folder} has meta.json but no model.safetensors; export the model again.")
    try:
        meta_path = folder / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        state = load_model_weights(folder)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder} does not hold readable vision-model weights ({exc}).") from None
    return {k: v.float() if torch.is_floating_point(v) else v for k, v in state.items()}, meta


def load_vision(ref: Any, device: Any) -> VisionModel:
    """The zoo loader of vit, vit-mae, rotnet, simclr and cluster: shipped weights, a run folder
    (newest readable checkpoint) or a checkpoint folder."""
    from engine.training.checkpoint import load_reference

    return load_reference(ref, lambda folder: load_vision_folder(folder, ref, device))


def load_vision_folder(folder: Path, ref: Any, device: Any) -> VisionModel:
    state, meta = _read_folder(folder)
    family = str(meta.get("family") or ref.spec.id)
    if family not in CONFIGS:
        raise ModelError(f"{folder} holds a '{family}' model, not a vision model ({', '.join(CONFIGS)}).")
    saved_before = getattr(config_class(family), "SAVED_BEFORE", {})
    net, cfg = build_net(family, {**saved_before, **(meta.get("config") or {})})
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise ModelError(f"{folder}: the weights do not fit a {family} of this configuration ({str(exc)[:200]}).") from None
    net.to(device).eval()
    return VisionModel(ref=ref, device=device, source=str(folder), net=net, config=cfg, family=family,
                       classes=list(meta.get("classes") or []), meta=meta)


def random_init(family: str, config: dict, ref: Any, device: Any, seed: int = 0) -> VisionModel:
    """The same architecture with its initial random weights (the probe's baseline)."""
    import torch

    torch.manual_seed(seed)
    net, cfg = build_net(family, config)
    net.to(device).eval()
    return VisionModel(ref=ref, device=device, source="random init", net=net, config=cfg, family=family,
                       meta={"family": family, "config": config})


def baseline_vit(config: dict, device: Any, seed: int = 0) -> VisionModel:
    """The untrained plain `vit` at the sizes of `config` (any vision model's): the linear probe's
    "random init". Without an MAE decoder or a pretext task's head: ViT draws its class token after
    building the head, so another head would give another baseline."""
    from engine.loaders.model_refs import resolve

    sizes = {k: v for k, v in config.items() if not k.startswith("dec_") and k not in ("n_classes", "head_hidden", "head_depth")}
    return random_init("vit", sizes, resolve("vit"), device, seed)


def export(source: Path, out: Path, half: bool = True) -> Path:
    """Write the newest checkpoint of run `source` (or a checkpoint folder) into `out` as
    model.safetensors (fp16 unless half is False) + meta.json; returns `out`."""
    from safetensors.torch import save_file

    from engine.training.runs import newest_checkpoint, read_metrics

    source = Path(source)
    folder = Path(newest_checkpoint(source) or source) if (source / "checkpoints").is_dir() else source
    state, meta = _read_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: (v.half() if half and v.is_floating_point() else v).contiguous() for k, v in state.items()}
    save_file(tensors, str(out / "model.safetensors"))
    evals = [r for r in read_metrics(source) if r.get("event") == "eval"] if (source / "checkpoints").is_dir() else []
    meta = {**meta, "source": str(folder), "metrics": evals[-1]["metrics"] if evals else {}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m engine.loaders.vision",
                                description="Export a vision run's newest checkpoint as shipped weights.")
    p.add_argument("run", help="run folder (or one checkpoint folder)")
    p.add_argument("out", help="folder to write, e.g. assets/vit-mae")
    p.add_argument("--fp32", action="store_true", help="keep float32 (default: float16)")
    args = p.parse_args(argv)
    out = export(Path(args.run), Path(args.out), half=not args.fp32)
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"wrote {out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
