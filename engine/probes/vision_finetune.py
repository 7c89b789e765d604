"""Few-label fine-tuning for the Compare table: from a vision model's weights, train the whole ViT
(the encoder; MAE's encoder for vit-mae) plus a new linear head on the class token, on N labelled
images per class, then score it on the held-out split. The model passed in is never changed: each
fine-tune works on a copy. Same labelled draw per (N, seed) as the linear probe's."""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import numpy as np

from engine.errors import ConfigError, InputError
from engine.records.comparison import FINE_TUNE, Comparison, FineTuneScore, FineTuneSettings

LABELS = (1, 10, 100)
SEEDS = (0, 1, 2)
DEFAULT_SETTINGS = FineTuneSettings()


@dataclass(frozen=True)
class LabelledTensors:
    """One split of an image set at a model's size: images (N, 3, S, S) float32 (torch), labels (N,)."""

    images: object
    labels: np.ndarray
    classes: list[str]
    name: str


def labelled_tensors(data: str, split: str, size: int) -> LabelledTensors:
    import torch

    from engine.data.image_sets import load_image_set, resize_images

    found = load_image_set(data, split)
    if not found.labelled or len(found.classes) < 2:
        raise InputError(f"{found.name} needs labels of at least two classes to fine-tune on; give builtin:digits, "
                         "builtin:shapes or a folder with one subfolder per class.")
    images = torch.from_numpy(np.ascontiguousarray(resize_images(found.images, size).transpose(0, 3, 1, 2))).float()
    return LabelledTensors(images, found.labels.copy(), list(found.classes), found.name)


def check_settings(settings: FineTuneSettings) -> None:
    if settings.steps < 1 or settings.batch_size < 1:
        raise ConfigError(f"fine-tuning needs at least 1 step of at least 1 image (got steps {settings.steps}, "
                          f"batch size {settings.batch_size}).")
    if not (settings.lr > 0 and settings.head_lr > 0):
        raise ConfigError(f"learning rates must be positive (got {settings.lr}, {settings.head_lr}).")


def _normalise(model, images):
    import torch

    mean = torch.tensor(getattr(model, "pixel_mean", [0.0, 0.0, 0.0]), dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.tensor(getattr(model, "pixel_std", [1.0, 1.0, 1.0]), dtype=torch.float32).view(1, 3, 1, 1)
    return (images - mean) / std


def finetune_score(model, train: LabelledTensors, test: LabelledTensors, labels_per_class: int, seed: int,
                   settings: FineTuneSettings = DEFAULT_SETTINGS) -> FineTuneScore:
    """Fine-tune a copy of `model`'s backbone plus a new head on `labels_per_class` images of each class
    of `train` (drawn with `seed`), for `settings.steps` steps; accuracy on all of `test`."""
    import torch
    from torch import nn

    from engine.models.hooks import net_lock
    from engine.probes.linear_probe import sample_per_class

    check_settings(settings)
    start = time.perf_counter()
    pick = sample_per_class(train.labels, labels_per_class, seed)
    device = getattr(model, "device", "cpu")
    with net_lock(model.net):
        backbone = copy.deepcopy(model.backbone).to(device)
    x_all = _normalise(model, train.images[torch.from_numpy(pick)]).to(device)
    y_all = torch.from_numpy(train.labels[pick]).to(device)
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    d = int(model.config.d_model)                       # the head standardises the class token first (as a
    head = nn.Sequential(nn.BatchNorm1d(d, affine=False), nn.Linear(d, len(train.classes))).to(device)  # probe does)
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": settings.lr},
                             {"params": head.parameters(), "lr": settings.head_lr}], weight_decay=settings.weight_decay)
    batch = min(settings.batch_size, len(pick))
    backbone.train()
    head.train()
    loss = torch.zeros(())
    for _ in range(settings.steps):
        idx = torch.randperm(len(pick), generator=gen)[:batch].to(device)
        loss = nn.functional.cross_entropy(head(backbone.features(x_all[idx])), y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    backbone.eval()
    _restandardise(head[0], backbone, x_all)
    head.eval()
    with torch.no_grad():
        x_test = _normalise(model, test.images)
        pred = torch.cat([head(backbone.features(x_test[i:i + 256].to(device))).argmax(-1).cpu()
                          for i in range(0, len(x_test), 256)]).numpy()
    return FineTuneScore(accuracy=float(np.mean(pred == test.labels)), labels=int(labels_per_class), seed=int(seed),
                         train_items=int(len(pick)), test_items=int(len(test.labels)), steps=settings.steps,
                         seconds=time.perf_counter() - start, final_loss=float(loss.detach()), data=train.name)


def _restandardise(norm, backbone, images) -> None:
    """The head's mean and variance from the final features of the labelled images (the running
    averages taken while training trail features that were still moving)."""
    import torch

    norm.reset_running_stats()
    norm.momentum = None                                 # a plain average over the batches
    norm.train()
    with torch.no_grad():
        for i in range(0, len(images), 256):
            norm(backbone.features(images[i:i + 256]))


def finetune_compare(named_models: list[tuple[str, object]], data: str = "builtin:digits", labels=LABELS,
                     seeds=SEEDS, settings: FineTuneSettings = DEFAULT_SETTINGS, progress=None) -> Comparison:
    """The fine-tune table: accuracy[m, l, s] for every (name, loaded vision model), label count and seed."""
    check_settings(settings)
    start = time.perf_counter()
    acc = np.zeros((len(named_models), len(labels), len(seeds)), np.float64)
    splits: dict[int, tuple[LabelledTensors, LabelledTensors]] = {}
    total = max(1, len(named_models) * len(labels) * len(seeds))
    done = 0
    for i, (name, model) in enumerate(named_models):
        size = int(model.image_size)
        if size not in splits:
            splits[size] = (labelled_tensors(data, "train", size), labelled_tensors(data, "test", size))
        train, test = splits[size]
        for j, n in enumerate(labels):
            for k, seed in enumerate(seeds):
                if progress is not None:
                    progress(done / total, f"fine-tuning {name}: {n} labels per class, seed {seed}")
                acc[i, j, k] = finetune_score(model, train, test, n, seed, settings).accuracy
                done += 1
    return Comparison(models=[n for n, _ in named_models], labels=list(labels), seeds=list(seeds), accuracy=acc,
                      data=data, method=FINE_TUNE, settings=settings.to_json(), seconds=time.perf_counter() - start)
