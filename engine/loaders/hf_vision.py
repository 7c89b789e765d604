"""HuggingFace ViT (ViTModel, ViTForImageClassification) and ViT-MAE (ViTMAEForPreTraining)
folders on the project's ViT and MAE: config.json mapped to ViTConfig / MAEConfig, the weights
renamed; pixels normalised with the folder's preprocessor_config.json mean and std (0.5 and 0.5
when it has none, ViTImageProcessor's defaults)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.errors import ModelError

LAYER = {"attention.attention.query": "attn.q_proj", "attention.attention.key": "attn.k_proj",
         "attention.attention.value": "attn.v_proj", "attention.output.dense": "attn.out_proj",
         "intermediate.dense": "ffn.fc1", "output.dense": "ffn.fc2", "layernorm_before": "norm1",
         "layernorm_after": "norm2"}


def vit_fields(cfg: dict) -> dict:
    return {"image_size": int(cfg.get("image_size", 224)), "patch": int(cfg.get("patch_size", 16)),
            "channels": int(cfg.get("num_channels", 3)), "d_model": int(cfg["hidden_size"]),
            "n_layers": int(cfg["num_hidden_layers"]), "n_heads": int(cfg["num_attention_heads"]),
            "d_ff": int(cfg["intermediate_size"]), "eps": float(cfg.get("layer_norm_eps", 1e-12)),
            "activation": str(cfg.get("hidden_act", "gelu"))}


def _layer_key(rest: str) -> str | None:
    """'3.attention.attention.query.weight' -> '3.attn.q_proj.weight'."""
    i, tail = rest.split(".", 1)
    for hf, ours in LAYER.items():
        if tail.startswith(hf + "."):
            return f"{i}.{ours}{tail[len(hf):]}"
    return None


def rename_encoder(state: dict, prefix: str) -> dict:
    """A HF ViT encoder's tensors (under `prefix`) -> the names of engine.models.vit.ViT."""
    out = {}
    simple = {"embeddings.cls_token": "cls_token", "embeddings.position_embeddings": "pos_embed",
              "embeddings.patch_embeddings.projection.weight": "patch_embed.projection.weight",
              "embeddings.patch_embeddings.projection.bias": "patch_embed.projection.bias",
              "layernorm.weight": "encoder.norm.weight", "layernorm.bias": "encoder.norm.bias"}
    for key, value in state.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix):]
        if name in simple:
            out[simple[name]] = value
        elif name.startswith("encoder.layer."):
            ours = _layer_key(name[len("encoder.layer."):])
            if ours is not None:
                out["encoder.blocks." + ours] = value
    return out


def rename_mae_decoder(state: dict) -> dict:
    out = {}
    simple = {"decoder.decoder_embed.weight": "decoder_embed.weight", "decoder.decoder_embed.bias": "decoder_embed.bias",
              "decoder.mask_token": "mask_token", "decoder.decoder_pos_embed": "decoder_pos_embed",
              "decoder.decoder_norm.weight": "decoder.norm.weight", "decoder.decoder_norm.bias": "decoder.norm.bias",
              "decoder.decoder_pred.weight": "decoder_pred.weight", "decoder.decoder_pred.bias": "decoder_pred.bias"}
    for key, value in state.items():
        if key in simple:
            out[simple[key]] = value
        else:
            for head in ("decoder.decoder_layers.", "decoder.decoder_encoder.layer."):     # transformers 4.x, 5.x
                ours = _layer_key(key[len(head):]) if key.startswith(head) else None
                if ours is not None:
                    out["decoder.blocks." + ours] = value
    return out


def _read_state(folder: Path) -> dict:
    import torch

    if (folder / "model.safetensors").is_file():
        from safetensors.torch import load_file

        return load_file(str(folder / "model.safetensors"))
    if (folder / "pytorch_model.bin").is_file():
        return torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
    raise ModelError(f"{folder} has no model.safetensors or pytorch_model.bin.")


def _normalisation(folder: Path) -> tuple[list[float], list[float]]:
    path = folder / "preprocessor_config.json"
    mean, std = [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]
    if path.is_file():
        try:
            pre = json.loads(path.read_text(encoding="utf-8"))
            if pre.get("do_normalize", True):
                mean, std = list(pre.get("image_mean", mean)), list(pre.get("image_std", std))
            else:
                mean, std = [0.0] * 3, [1.0] * 3
        except (OSError, ValueError):
            pass
    return [float(v) for v in mean], [float(v) for v in std]


def build_from_folder(folder: Path):
    """(net, config, family, classes) of a HF ViT / ViT-MAE folder."""
    import torch

    from engine.models.vit import ViT, ViTConfig
    from engine.models.vit_mae import MAE, MAEConfig

    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    state = {k: v.float() if torch.is_floating_point(v) else v for k, v in _read_state(folder).items()}
    fields = vit_fields(cfg)
    if cfg.get("model_type") == "vit_mae":
        config = MAEConfig(**fields, dec_d_model=int(cfg["decoder_hidden_size"]),
                           dec_layers=int(cfg["decoder_num_hidden_layers"]), dec_heads=int(cfg["decoder_num_attention_heads"]),
                           dec_d_ff=int(cfg["decoder_intermediate_size"]), mask_ratio=float(cfg.get("mask_ratio", 0.75)),
                           norm_pix_loss=bool(cfg.get("norm_pix_loss", False)))
        net, family = MAE(config), "vit-mae"
        prefix = "vit." if any(k.startswith("vit.") for k in state) else ""
        mapped = {"encoder." + k: v for k, v in rename_encoder(state, prefix).items()}
        mapped.update(rename_mae_decoder(state))
        classes: list[str] = []
    else:
        labels = cfg.get("id2label") or {}
        has_head = "classifier.weight" in state
        config = ViTConfig(**fields, n_classes=int(state["classifier.weight"].shape[0]) if has_head else 0)
        net, family = ViT(config), "vit"
        prefix = "vit." if any(k.startswith("vit.") for k in state) else ""
        mapped = rename_encoder(state, prefix)
        if has_head:
            mapped["head.weight"], mapped["head.bias"] = state["classifier.weight"], state["classifier.bias"]
        classes = [str(labels.get(str(i), i)) for i in range(config.n_classes)]
    missing, unexpected = net.load_state_dict(mapped, strict=False)
    if missing:
        raise ModelError(f"{folder}: the weights lack {len(missing)} tensors the model needs (e.g. {missing[0]}); "
                         "is it a complete ViT / ViT-MAE folder?")
    return net, config, family, classes


def load_vision_folder(ref: Any, device: Any):
    from engine.loaders.vision import VisionModel

    folder = Path(ref.path)
    try:
        net, config, family, classes = build_from_folder(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{folder} is not a readable ViT / ViT-MAE folder ({exc}).") from None
    mean, std = _normalisation(folder)
    net.to(device).eval()
    return VisionModel(ref=ref, device=device, source=str(folder), net=net, config=config, family=family,
                       classes=classes, meta={"family": family, "hf": True}, pixel_mean=mean, pixel_std=std)
