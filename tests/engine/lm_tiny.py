"""Tiny bert-mini and gpt-mini folders (random weights, tokenizers trained on a few hundred lines of
the built-in grammar) for the tests: built through the Tasks, saved like a checkpoint."""
from __future__ import annotations

import functools
import json
import tempfile
from dataclasses import replace
from pathlib import Path

LINES = 600


@functools.cache
def corpus_file() -> Path:
    from engine.data.corpora import resolve_data

    folder = Path(tempfile.mkdtemp(prefix="mlsp-lm-tiny-"))
    path = folder / "text.txt"
    path.write_text("\n".join(resolve_data("builtin:grammar-small").lines[:LINES]) + "\n", encoding="utf-8")
    return path


def save_task_model(task, folder: Path) -> Path:
    """Build the task's model (seeded) and write model.safetensors, meta.json and the tokenizer."""
    import torch
    from safetensors.torch import save_file

    torch.manual_seed(0)
    task.dataset()
    net = task.build_model()
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.detach().contiguous().clone() for k, v in net.state_dict().items()}, str(folder / "model.safetensors"))
    (folder / "meta.json").write_text(json.dumps(task.model_meta()), encoding="utf-8")
    task.save_extra(folder)
    return folder


@functools.cache
def tiny_bert() -> Path:
    from engine.models.bert_mini import BertMiniConfig
    from engine.tasks.bert_mini import BertMiniTask

    cfg = replace(BertMiniConfig(), vocab_size=300, d_model=32, n_layers=2, n_heads=4, d_ff=64, max_tokens=32)
    return save_task_model(BertMiniTask(cfg, str(corpus_file())), corpus_file().parent / "bert")


@functools.cache
def tiny_gpt(tokenizer: str = "bpe") -> Path:
    from engine.models.gpt_mini import GPTMiniConfig
    from engine.tasks.gpt_mini import GPTMiniTask

    cfg = replace(GPTMiniConfig(), tokenizer=tokenizer, vocab_size=300, d_model=32, n_layers=2, n_heads=4, d_ff=64,
                  context=32)
    return save_task_model(GPTMiniTask(cfg, str(corpus_file())), corpus_file().parent / f"gpt-{tokenizer}")


def load(model_id: str, folder: Path):
    from engine.contract.registry import get_spec
    from engine.contract.spec import ModelRef
    from engine.zoo import load_model

    return load_model(ModelRef(spec=get_spec(model_id), path=folder, text=model_id), "cpu")


RUN_SETS = {"gpt-mini": ("d_model=32", "n_layers=2", "d_ff=64", "context=32", "vocab_size=300", "eval_tokens=300"),
            "bert-mini": ("d_model=32", "n_layers=2", "d_ff=64", "max_tokens=32", "vocab_size=300")}


def train_tiny_run(folder: Path, model: str, steps: int, checkpoint_every: int, keep: int | None = None) -> Path:
    """A real run of the one trainer: a tiny `model` (bert-mini or gpt-mini) on the first 300 lines of
    builtin:grammar-small, a checkpoint every `checkpoint_every` steps, in `folder`/run."""
    from engine.data.corpora import resolve_data
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "t.txt"
    text.write_text("\n".join(resolve_data("builtin:grammar-small").lines[:300]) + "\n", encoding="utf-8")
    flags = {"steps": steps, "batch_size": 8, "checkpoint_every": checkpoint_every, "lr": 3e-2, "seed": 1}
    if keep is not None:
        flags["keep_checkpoints"] = keep
    out = folder / "run"
    train(TrainRequest(model=model, data=str(text), out=out, device="cpu", flags=flags, sets=RUN_SETS[model],
                       progress=False))
    return out
