"""Where the built-in language models' weights are, and how a run becomes shipped weights.

bert-mini and gpt-mini load from the shipped `assets/NAME/`, a run folder (its newest
checkpoint) or one checkpoint folder; all hold the same files:

    model.safetensors    the network's state_dict (fp32 in checkpoints, fp16 when exported)
    meta.json            family, config, vocabulary size, data (Task.model_meta)
    tokenizer.json ...   the tokenizer trained on the corpus (save_pretrained)

`python -m engine.loaders.lm_folders RUN OUT` exports a run's newest checkpoint (fp16) into OUT.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from engine.errors import ModelError


def read_meta(folder: Path, family: str) -> dict:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder} has no readable meta.json ({exc}); it is not a {family} checkpoint.") from None
    if meta.get("family") != family:
        raise ModelError(f"{folder} holds a {meta.get('family') or 'unknown'} model, not {family}.")
    return meta


def load_state(folder: Path, net) -> None:
    """Fill `net` from folder/model.safetensors (fp16 exports are cast to the net's dtype)."""
    from engine.training.runs import load_model_weights

    state = load_model_weights(folder)
    own = net.state_dict()
    try:
        net.load_state_dict({k: v.to(own[k].dtype) if k in own else v for k, v in state.items()})
    except RuntimeError as exc:
        raise ModelError(f"the weights in {folder} do not fit the model its meta.json describes: {exc}") from None


def export(source: Path, folder: Path, fp16: bool = True, note: dict | None = None) -> Path:
    """Copy the newest checkpoint of run `source` (or a checkpoint folder) into `folder` (replaced)."""
    from safetensors.torch import save_file

    from engine.training.runs import load_model_weights, newest_checkpoint

    source = Path(source)
    ckpt = source if (source / "model.safetensors").is_file() else newest_checkpoint(source)
    if ckpt is None:
        raise ModelError(f"{source} is neither a run with a checkpoint nor a checkpoint folder.")
    state = load_model_weights(ckpt)
    if fp16:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(state, str(tmp / "model.safetensors"))
    for f in ckpt.iterdir():
        if f.name not in ("model.safetensors", "state.safetensors", "state.json", "meta.json") and f.is_file():
            shutil.copyfile(f, tmp / f.name)
    meta = {**json.loads((ckpt / "meta.json").read_text(encoding="utf-8")), "exported_from": str(ckpt),
            "dtype": "float16" if fp16 else "float32", **(note or {})}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    """python -m engine.loaders.lm_folders RUN OUT: export a bert-mini / gpt-mini run's newest checkpoint (fp16)."""
    p = argparse.ArgumentParser(prog="python -m engine.loaders.lm_folders", description=main.__doc__)
    p.add_argument("run", help="a bert-mini or gpt-mini run folder, or a checkpoint folder")
    p.add_argument("out", help="folder to write (replaced), e.g. assets/bert-mini")
    p.add_argument("--fp32", action="store_true", help="keep float32 (default float16)")
    p.add_argument("--note", default="", help="JSON object merged into meta.json (e.g. the training command, scores)")
    args = p.parse_args(argv)
    try:
        print(export(Path(args.run), Path(args.out), fp16=not args.fp32, note=json.loads(args.note) if args.note else None))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
