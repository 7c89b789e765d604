"""`mlsp reconstruct MODEL IMAGE`: hide a random set of the image's patches and let a masked
autoencoder (vit-mae) fill them in. --json prints {"mse_masked", "baseline_mse_masked", "mask"}:
the mean squared error over the hidden patches' pixels (0..1, at the model's input size), the same
for a baseline that fills every hidden patch with the mean of the visible pixels, and the mask
(rows × columns, 1 = hidden). --out writes MAE's four-panel figure as a PNG."""
from __future__ import annotations

import argparse
from pathlib import Path

from engine.cli.common import add_command, add_device, add_json, add_model, print_json, read_image_argument
from engine.errors import ConfigError


def register(subparsers) -> None:
    p = add_command(subparsers, "reconstruct", "hide image patches and reconstruct them (vit-mae)", __doc__, run)
    add_model(p, "vit-mae, a vit-mae run folder or an hf:PATH ViT-MAE folder")
    p.add_argument("image", metavar="IMAGE", help="an image file (PNG, JPEG, BMP, WebP, ...)")
    p.add_argument("--mask-ratio", type=float, default=0.75, metavar="R", help="share of patches hidden (default 0.75)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the random mask (default 0)")
    p.add_argument("--out", metavar="FILE.png", help="write original / masked / reconstruction / pasted as a PNG")
    add_device(p)
    add_json(p)


def _png_target(path: str) -> Path:
    p = Path(path).expanduser()
    if p.suffix.lower() != ".png":
        raise ConfigError(f"--out writes a PNG image, but {p.name} does not end in .png; give a name ending in .png.")
    if not p.parent.is_dir():
        raise ConfigError(f"cannot write {p}: the folder {p.parent} does not exist; choose an existing folder.")
    return p


def run(args: argparse.Namespace) -> int:
    import sys

    from engine.contract.capabilities import Capability
    from engine.probes.reconstruct import random_mask, reconstruct
    from engine.zoo import load_model, resolve

    if not 0.0 < args.mask_ratio < 1.0:
        raise ConfigError(f"--mask-ratio must be between 0 and 1 (exclusive), got {args.mask_ratio}.")
    if not 0 <= args.seed < 2**32:
        raise ConfigError(f"--seed must be from 0 to 2**32 - 1, got {args.seed}.")
    out = _png_target(args.out) if args.out else None
    ref = resolve(args.model)
    if not ref.can(Capability.RECONSTRUCT):
        from engine.contract.loaded import cannot_message
        from engine.errors import ModelError

        raise ModelError(cannot_message(args.model, Capability.RECONSTRUCT))
    image = read_image_argument(args.image)
    model = load_model(ref, args.device)
    mask = random_mask(int(model.image_size) // int(model.patch), args.mask_ratio, args.seed)
    rec = reconstruct(model, image, mask=mask)
    if rec.note:
        print(f"note: {image.path}: {rec.note}", file=sys.stderr)
    if out is not None:
        from engine.render.reconstruction_png import render_reconstruction_png

        try:
            render_reconstruction_png(rec, out)
        except OSError as exc:
            raise ConfigError(f"cannot write {out}: {exc.strerror or exc}; choose another path.") from None
    if args.json:
        print_json({**rec.to_json(), **({"png": str(out)} if out else {})})
    else:
        print(f"masked-patch MSE {rec.mse_masked:.4f} (mean-fill baseline {rec.baseline_mse_masked:.4f}), "
              f"{int(rec.mask.sum())} of {rec.mask.size} patches hidden" + (f"; wrote {out}" if out else ""))
    return 0
