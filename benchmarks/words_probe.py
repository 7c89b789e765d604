"""A linear probe on frozen utterance features of builtin:words: how much does self-supervised
pre-training (wav2vec-mini) give over log-mel features (logmel) when only a few labels exist?

For each model: pooled features of N clips per word of the train split (engine.probes.word_features;
--labels 0 = every clip), a standardised scikit-learn LogisticRegression fitted on them, accuracy on
the whole test split (speakers never seen). The goal: wav2vec-mini beats logmel by at least 5 points
at 100 labels per word.

    python benchmarks/words_probe.py [--models wav2vec-mini logmel] [--labels 100 0] [--data builtin:words] [--json]
"""
from __future__ import annotations

import argparse
import json
import time


def probe_accuracy(train, test) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=1.0))
    clf.fit(train.X, train.y)
    return float((clf.predict(test.X) == test.y).mean())


def main() -> None:
    import torch

    from engine.probes.word_features import word_features
    from engine.zoo import load_model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["wav2vec-mini", "logmel"])
    parser.add_argument("--labels", type=int, nargs="+", default=[100], help="clips per word (0 = all)")
    parser.add_argument("--data", default="builtin:words")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = []
    for ref in args.models:
        model = load_model(ref, "cpu")
        t0 = time.perf_counter()
        test = word_features(model, args.data, "test")
        for n in args.labels:
            train = word_features(model, args.data, "train", per_word=n or None)
            acc = probe_accuracy(train, test)
            results.append({"model": ref, "labels_per_word": n or "all", "train_clips": len(train.y),
                            "test_clips": len(test.y), "dim": train.dim, "test_accuracy": round(acc, 4),
                            "seconds": round(time.perf_counter() - t0, 1)})
            if not args.json:
                r = results[-1]
                print(f"{ref:<14} {str(r['labels_per_word']):>4} labels/word  dim {r['dim']:>4}  test accuracy "
                      f"{acc:.3f}  ({r['seconds']:.0f} s)", flush=True)
    if args.json:
        print(json.dumps(results))
    by = {(r["model"], r["labels_per_word"]): r["test_accuracy"] for r in results}
    for n in args.labels:
        key = n or "all"
        if ("wav2vec-mini", key) in by and ("logmel", key) in by and not args.json:
            gain = 100 * (by[("wav2vec-mini", key)] - by[("logmel", key)])
            print(f"wav2vec-mini - logmel at {key} labels/word: {gain:+.1f} points")


if __name__ == "__main__":
    main()
