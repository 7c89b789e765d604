"""Clustering: k-means cluster ids and the purity of clusters against true labels."""
from __future__ import annotations

import numpy as np


def kmeans(x: np.ndarray, k: int, iters: int, seed: int) -> np.ndarray:
    """Cluster ids (N,) of rows of x by k-means (k-means++ start, `iters` Lloyd steps), deterministic."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=1, max_iter=iters, random_state=seed).fit_predict(x.astype(np.float64))


def purity(clusters: np.ndarray, labels: np.ndarray) -> float:
    """Share of items whose cluster's most common true label is their own."""
    total = 0
    for c in np.unique(clusters):
        total += np.bincount(labels[clusters == c]).max()
    return float(total / max(len(labels), 1))
