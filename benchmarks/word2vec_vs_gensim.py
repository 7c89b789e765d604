"""word2vec through `engine.training` against gensim 4.x: same real corpus, same hyper-parameters,
same thread count; words/s ratio and word-similarity quality (Spearman) side by side.

Corpus: the English Wikipedia sample that ships with gensim's tests
(enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2: article text pulled out of
the XML with a few regexes, templates/refs/markup dropped, ~480k words) followed by gensim's
lee_background.cor (Australian news, ~60k words): the largest real English text available offline.
Both sides get the same lowercase word lines (this project's tokenizer); gensim its lists, ours the
text file through `mlsp train word2vec --data FILE`.

Hyper-parameters (both): skip-gram (or CBOW with --arch), 100 dimensions, window 5, 5 negatives,
min_count 5, sample 1e-3, 5 epochs, lr 0.025 decaying to 0.0001 (gensim linearly, ours with the
trainer's cosine), 2 threads (gensim workers=2; ours threads=2 and torch.set_num_threads(2)).
Ours trains with its defaults: the fused per-pair SGD kernel on 2 deterministic threads, steps of
up to 40,000 words (the task's `fused_batch`: 38 spans of 1,000 words here, so one span of 533 is
left out of each epoch), and writes only its final checkpoint. --hogwild lets
the kernel's threads write shared rows directly as gensim's do (not reproducible); --torch runs
the pure-torch path (fused=false, 2,000-word steps) for comparison; --batch-size overrides.

Time: the whole call on both sides (reading the lines, vocabulary, training; libraries imported and
the kernel built before). words/s = corpus
words x epochs / seconds. Quality: Spearman correlation on WordSim-353 and SimLex-999 (gensim's
evaluate_word_pairs on both models' input vectors; pairs with an unknown word are skipped).
Repeats alternate gensim and ours with seeds 0, 1, ...; the means and the ratio are printed.

    python benchmarks/word2vec_vs_gensim.py [--arch skipgram|cbow] [--repeats 3] [--threads 2]
        [--hogwild | --torch] [--batch-size B] [--json]
"""
from __future__ import annotations

import argparse
import bz2
import html
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIKI = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
HP = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, epochs=5, lr=0.025, min_lr=0.0001)


def gensim_data(name: str) -> Path:
    from gensim.test.utils import datapath

    return Path(datapath(name))


def wiki_paragraphs(path: Path) -> list[str]:
    """Plain paragraphs of article text from a MediaWiki XML dump (bz2)."""
    xml = bz2.open(path, "rt", encoding="utf-8").read()
    out = []
    for text in re.findall(r"<text[^>]*>(.*?)</text>", xml, flags=re.S):
        text = html.unescape(text)
        text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)                     # templates
        text = re.sub(r"<ref[^>]*?/>|<ref.*?</ref>", " ", text, flags=re.S)      # references
        text = re.sub(r"<[^>]+>", " ", text)                                      # other tags
        text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)            # [[link|label]] -> label
        text = re.sub(r"https?://\S+", " ", text)
        out.extend(p for p in text.split("\n") if len(p.split()) > 3 and not p.lstrip().startswith(("|", "{", "!")))
    return out


def build_corpus(folder: Path) -> tuple[Path, list[list[str]]]:
    """(text file of lowercase word lines, the same lines as token lists)."""
    from engine.data.corpora import tokenize

    paragraphs = wiki_paragraphs(gensim_data(WIKI))
    paragraphs += gensim_data("lee_background.cor").read_text(encoding="utf-8").splitlines()
    lines = [t for t in (tokenize(p) for p in paragraphs) if len(t) > 3]
    path = folder / "enwiki_lee.txt"
    path.write_text("\n".join(" ".join(t) for t in lines) + "\n", encoding="utf-8")
    return path, lines


def quality(words: list[str], vectors) -> dict[str, float]:
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    out = {}
    for key, name in (("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt")):
        out[key] = float(kv.evaluate_word_pairs(str(gensim_data(name)))[1].statistic)
    return out


def run_gensim(lines: list[list[str]], arch: str, threads: int, seed: int) -> tuple[float, dict]:
    from gensim.models import Word2Vec

    t0 = time.perf_counter()
    m = Word2Vec(lines, vector_size=HP["dim"], window=HP["window"], negative=HP["negative"], min_count=HP["min_count"],
                 sample=HP["sample"], epochs=HP["epochs"], alpha=HP["lr"], min_alpha=HP["min_lr"],
                 sg=1 if arch == "skipgram" else 0, hs=0, workers=threads, seed=seed + 1)
    seconds = time.perf_counter() - t0
    return seconds, quality(list(m.wv.index_to_key), m.wv.vectors)


def run_ours(path: Path, arch: str, seed: int, out: Path, args) -> tuple[float, dict]:
    from engine.loaders.word2vec import read_vectors_folder
    from engine.training.runs import newest_checkpoint, read_run_config
    from engine.training.setup import TrainRequest
    from engine.training.trainer import train

    sets = (f"arch={arch}", f"dim={HP['dim']}", f"window={HP['window']}", f"negative={HP['negative']}",
            f"min_count={HP['min_count']}", f"sample={HP['sample']}", f"threads={args.threads}",
            f"hogwild={args.hogwild}", f"fused={not args.torch}")
    flags = {"epochs": float(HP["epochs"]), "lr": HP["lr"], "min_lr_ratio": HP["min_lr"] / HP["lr"], "seed": seed,
             "checkpoint_every": 10**9}
    if args.batch_size:
        flags["batch_size"] = args.batch_size
    t0 = time.perf_counter()
    train(TrainRequest(model="word2vec", data=str(path), out=out, device="cpu", flags=flags, sets=sets,
                       json=False, progress=False))
    seconds = time.perf_counter() - t0
    words, _, w1, _, _ = read_vectors_folder(newest_checkpoint(out))
    return seconds, {**quality(words, w1), "kernel": read_run_config(out)["task_info"]["kernel"]}


def summary(rows: list[dict], key: str) -> tuple[float, float]:
    values = [r[key] for r in rows]
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=("skipgram", "cbow"), default="skipgram")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--hogwild", action="store_true", help="kernel threads write shared rows directly (gensim's way)")
    p.add_argument("--torch", action="store_true", help="the pure-torch path instead of the fused kernel")
    p.add_argument("--batch-size", type=int, default=0, help="spans of 1,000 words per step (default: the task's)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    import torch
    import torch._dynamo  # noqa: F401  (torch.optim imports it on first use: library import time stays out of the timing, as gensim's does)

    import engine.training.trainer  # noqa: F401
    from engine.models.word2vec.kernel import kernel

    kernel()                 # built (first time only) and loaded before the timing, like the libraries

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="w2v-bench-") as tmp:
        path, lines = build_corpus(Path(tmp))
        n_words = sum(len(t) for t in lines)
        rows = {"gensim": [], "ours": []}
        for seed in range(args.repeats):
            for side in ("gensim", "ours"):
                if side == "gensim":
                    sec, q = run_gensim(lines, args.arch, args.threads, seed)
                else:
                    sec, q = run_ours(path, args.arch, seed, Path(tmp) / f"run{seed}", args)
                rows[side].append({"seconds": sec, "words_per_s": n_words * HP["epochs"] / sec, **q})
                if not args.json:
                    print(f"seed {seed} {side:6s} {sec:7.1f} s  {rows[side][-1]['words_per_s']:9.0f} words/s  "
                          f"wordsim353 {q['wordsim353']:.3f}  simlex999 {q['simlex999']:.3f}", flush=True)
    report = {"arch": args.arch, "threads": args.threads, "corpus_words": n_words, "lines": len(lines),
              "hyper_parameters": HP, "repeats": args.repeats, "ours_kernel": rows["ours"][0]["kernel"],
              "hogwild": args.hogwild, "batch_size": args.batch_size or "default"}
    for side, rs in rows.items():
        for key in ("words_per_s", "wordsim353", "simlex999"):
            report[f"{side}_{key}"], report[f"{side}_{key}_sd"] = summary(rs, key)
    report["speed_ratio"] = report["ours_words_per_s"] / report["gensim_words_per_s"]
    report["wordsim353_diff"] = report["ours_wordsim353"] - report["gensim_wordsim353"]
    report["simlex999_diff"] = report["ours_simlex999"] - report["gensim_simlex999"]
    if args.json:
        print(json.dumps(report))
    else:
        print(f"\n{args.arch}, {n_words} words x {HP['epochs']} epochs, {args.threads} threads, {args.repeats} repeats "
              f"(ours: {report['ours_kernel']} path{', hogwild' if args.hogwild else ''}):")
        for side in ("gensim", "ours"):
            print(f"  {side:6s} {report[side + '_words_per_s']:9.0f} words/s   wordsim353 "
                  f"{report[side + '_wordsim353']:.3f} ± {report[side + '_wordsim353_sd']:.3f}   simlex999 "
                  f"{report[side + '_simlex999']:.3f} ± {report[side + '_simlex999_sd']:.3f}")
        print(f"  speed ratio ours/gensim {report['speed_ratio']:.2f}; Spearman difference ours - gensim: "
              f"wordsim353 {report['wordsim353_diff']:+.3f}, simlex999 {report['simlex999_diff']:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
