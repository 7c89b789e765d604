"""The linear probe: a linear classifier (multinomial logistic regression on standardised
features) fitted on frozen features of N labelled items per class, scored on held-out items.
Used for every frozen backbone (vision models, audio models) through `engine.probes.feature_sources`."""
from __future__ import annotations

import numpy as np

from engine.errors import InputError
from engine.records.vision import FeatureSet, ProbeResult


def sample_per_class(labels: np.ndarray, n: int | None, seed: int) -> np.ndarray:
    """Indices of `n` items of every class (all items when n is None), drawn with `seed`, sorted."""
    if n is None:
        return np.arange(len(labels))
    if n < 1:
        raise InputError(f"--labels must be at least 1 per class, got {n}.")
    rng = np.random.RandomState(seed)
    picked = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        picked.append(rng.choice(idx, size=min(n, len(idx)), replace=False))
    return np.sort(np.concatenate(picked))


def check_labelled(fs: FeatureSet, what: str) -> None:
    if len(fs.labels) == 0:
        raise InputError(f"the {what} set has no items; a linear probe needs labelled images.")
    if np.any(fs.labels < 0):
        raise InputError(f"the {what} set is unlabelled ({fs.name}); a linear probe needs labels: put the images in "
                         "one subfolder per class.")
    if len(np.unique(fs.labels)) < 2:
        raise InputError(f"the {what} set has only one class ({fs.name}); a classifier needs at least two: "
                         "put the images in two or more class subfolders.")


def fit(train: FeatureSet, seed: int = 0):
    """A fitted (scaler, logistic regression) pair."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train.features.astype(np.float64))
    clf = LogisticRegression(max_iter=1000, C=1.0, random_state=seed)
    clf.fit(scaler.transform(train.features.astype(np.float64)), train.labels)
    return scaler, clf


def fit_and_score(train: FeatureSet, test: FeatureSet, labels_per_class: int | None, seed: int) -> ProbeResult:
    """Fit on `labels_per_class` items of each class of `train` (all when None), score on `test`."""
    import warnings

    check_labelled(train, "training")
    check_labelled(test, "test")
    pick = sample_per_class(train.labels, labels_per_class, seed)
    chosen = FeatureSet(train.features[pick], train.labels[pick], train.classes, train.name)
    if len(np.unique(chosen.labels)) < 2:
        raise InputError("the labelled items drawn hold only one class; give more --labels.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # ConvergenceWarning on tiny label sets
        scaler, clf = fit(chosen, seed)
        pred = clf.predict(scaler.transform(test.features.astype(np.float64)))
    accuracy = float(np.mean(pred == test.labels))
    return ProbeResult(accuracy=accuracy, labels=int(labels_per_class or 0), seed=seed,
                       train_items=int(len(pick)), test_items=int(len(test.labels)), data=train.name)
