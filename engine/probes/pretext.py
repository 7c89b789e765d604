"""What the Pretext tasks view draws, computed from a loaded vision model on held-out images:
RotNet's rotation predictions, a SimCLR batch's similarity matrix with its augmented views, and
k-means clusters of a model's features with their purity against the true labels."""
from __future__ import annotations

import numpy as np

from engine.errors import ModelError
from engine.records.vision import ClusterGrid, ContrastiveBatch, RotationPredictions

TURNS = ["0°", "90°", "180°", "270°"]


def _images(data: str, size: int, n: int, seed: int):
    from engine.data.image_sets import load_image_set, resize_images

    found = load_image_set(data, "test")
    pick = np.random.RandomState(seed).permutation(len(found))[:n]
    return resize_images(found.images[pick], size), found.labels[pick], found


def _tensor(model, images: np.ndarray):
    import torch

    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2))).float().to(model.device)


def rotation_predictions(model, data: str = "builtin:digits", n: int = 6, seed: int = 0) -> RotationPredictions:
    import torch

    from engine.models.hooks import net_lock

    if getattr(model, "family", "") != "rotnet":
        raise ModelError(f"rotation predictions need a rotnet model, not '{model.name}'.")
    images, _, _ = _images(data, model.image_size, n, seed)
    x = _tensor(model, images)
    turned = torch.stack([torch.rot90(x, k, dims=(2, 3)) for k in range(4)], dim=1)      # (N, 4, C, S, S)
    with net_lock(model.net), torch.no_grad():
        probs = torch.softmax(model.net(turned.flatten(0, 1)).float(), -1).reshape(n, 4, 4)
    return RotationPredictions(images=turned.permute(0, 1, 3, 4, 2).cpu().numpy(), probs=probs.cpu().numpy(),
                               turns=list(TURNS), model=model.name)


def contrastive_batch(model, data: str = "builtin:digits", n: int = 8, seed: int = 0) -> ContrastiveBatch:
    import torch
    import torch.nn.functional as F

    from engine.models.hooks import net_lock
    from engine.models.image_augment import crop_and_jitter

    if getattr(model, "family", "") != "simclr":
        raise ModelError(f"a contrastive batch needs a simclr model, not '{model.name}'.")
    images, _, _ = _images(data, model.image_size, n, seed)
    x = _tensor(model, images)
    g = torch.Generator().manual_seed(seed)
    crop = float(getattr(model.config, "crop_min", 0.5))
    views = torch.cat([crop_and_jitter(x, g, crop) for _ in range(2)])
    with net_lock(model.net), torch.no_grad():
        z = F.normalize(model.net(views).float(), dim=-1)
    positive = np.concatenate([np.arange(n, 2 * n), np.arange(n)])
    return ContrastiveBatch(views=views.permute(0, 2, 3, 1).cpu().numpy(), similarity=(z @ z.T).cpu().numpy(),
                            positive=positive, temperature=float(getattr(model.config, "temperature", 0.2)),
                            model=model.name)


def cluster_grid(model, data: str = "builtin:digits", k: int = 10, shown: int = 8, seed: int = 0) -> ClusterGrid:
    from engine.metrics.clustering import kmeans

    if not hasattr(model, "image_features"):
        raise ModelError(f"clusters need a vision model's features, not '{model.name}'.")
    from engine.data.image_sets import load_image_set, resize_images

    found = load_image_set(data, "test")
    images = resize_images(found.images, model.image_size)
    feats = model.image_features(images)
    feats = (feats - feats.mean(0)) / (feats.std(0) + 1e-6)
    ids = kmeans(feats, k, 50, seed)
    rng = np.random.RandomState(seed)
    members, sizes, purity, majority = [], [], [], []
    for c in range(k):
        idx = np.flatnonzero(ids == c)
        sizes.append(len(idx))
        counts = np.bincount(found.labels[idx], minlength=len(found.classes)) if len(idx) else np.zeros(1, int)
        purity.append(counts.max() / max(len(idx), 1))
        majority.append(found.classes[int(counts.argmax())] if len(idx) else "")
        members.append(np.sort(rng.permutation(idx)[:shown]))
    sizes = np.asarray(sizes)
    overall = float(np.sum(np.asarray(purity) * sizes) / max(sizes.sum(), 1))
    return ClusterGrid(images=images, members=members, sizes=sizes, purity=np.asarray(purity, np.float32),
                       majority=majority, overall_purity=overall, model=model.name)
