"""Loading word2vec vectors: the shipped weights (assets/word2vec/), a run folder (its newest
checkpoint) or one checkpoint folder. All three hold the same files:

    model.safetensors   in_vectors (W1) and out_vectors (W2), (V, N), fp32 or fp16
    vocab.tsv           word <tab> corpus count, one line per row of the matrices
    meta.json           the word2vec config and where the vectors came from

`export_vectors(source, folder)` writes that layout (fp16 by default): it is how a training
run becomes the shipped `assets/word2vec/` (see `python -m engine.loaders.word2vec`).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.contract.loaded import LoadedModel
from engine.errors import ModelError


@dataclass
class Word2VecModel(LoadedModel):
    """Vectors of a word2vec model: W1 rows are the embeddings (`vectors`), W2 rows `output_vectors`."""

    words: list[str] = field(default_factory=list)
    counts: np.ndarray = None              # (V,) int64 corpus counts
    vectors: np.ndarray = None             # (V, N) float32, W1
    output_vectors: np.ndarray = None      # (V, N) float32, W2 (transposed: scores = h @ W2.T)
    meta: dict = field(default_factory=dict)
    checkpoint_step: int | None = None

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.words)}
        self._unit = None

    def unit_vectors(self) -> np.ndarray:
        """W1 rows scaled to length 1 (computed once)."""
        if self._unit is None:
            from engine.metrics.analogy import unit_rows

            self._unit = unit_rows(self.vectors)
        return self._unit


def read_vectors_folder(folder: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, dict]:
    """(words, counts, W1, W2, meta) from a checkpoint or exported folder; ModelError names what is wrong."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    from engine.models.word2vec.data import Vocabulary

    folder = Path(folder)
    try:
        tensors = load_file(str(folder / "model.safetensors"))
        vocab = Vocabulary.from_tsv((folder / "vocab.tsv").read_text(encoding="utf-8"))
        meta_path = folder / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (OSError, ValueError, IndexError, KeyError, RecursionError, SafetensorError) as exc:
        raise ModelError(f"{folder} does not hold readable word2vec vectors (model.safetensors + vocab.tsv): {exc}.") from None
    w1, w2 = tensors.get("in_vectors"), tensors.get("out_vectors")
    if w1 is None or w2 is None or w1.shape != w2.shape or w1.shape[0] != len(vocab):
        raise ModelError(f"{folder}: in_vectors/out_vectors do not match the {len(vocab)} words of vocab.tsv; "
                         "export or train the model again.")
    return list(vocab.words), vocab.counts, w1.astype(np.float32), w2.astype(np.float32), meta


def _step_of(folder: Path) -> int | None:
    name = Path(folder).name
    return int(name.split("-")[1]) if name.startswith("step-") and name[5:].isdigit() else None


def load_word2vec(ref: Any, device: Any) -> Word2VecModel:
    """The zoo loader: shipped weights, a run folder (newest checkpoint that reads) or a checkpoint folder."""
    from engine.training.checkpoint import load_newest

    if ref.path is None:
        folder = ref.spec.weights_path()
        if folder is None:
            raise ModelError("the shipped word2vec vectors (assets/word2vec/) are missing; train your own with "
                             "`mlsp train word2vec --out RUN` and load RUN.")
    elif (Path(ref.path) / "model.safetensors").is_file():
        folder = Path(ref.path)
    else:
        return load_newest(ref.path, lambda folder: _model_of(ref, device, folder))
    return _model_of(ref, device, folder)


def _model_of(ref: Any, device: Any, folder: Path) -> Word2VecModel:
    words, counts, w1, w2, meta = read_vectors_folder(folder)
    return Word2VecModel(ref=ref, device=device, source=str(folder), words=words,
                         counts=counts, vectors=w1, output_vectors=w2, meta=meta, checkpoint_step=_step_of(folder))


def load_word2vec_checkpoint(run_dir: str | Path, checkpoint: str | Path, device: Any = "cpu") -> Word2VecModel:
    """The vectors of one checkpoint folder of a word2vec run (e.g. the one a training view just saw)."""
    from engine.contract.registry import get_spec
    from engine.contract.spec import ModelRef

    return load_word2vec(ModelRef(spec=get_spec("word2vec"), path=Path(checkpoint), text=str(run_dir)), device)


def export_vectors(source: Path, folder: Path, fp16: bool = True, note: dict | None = None) -> Path:
    """Copy the newest checkpoint of run `source` (or a checkpoint folder) into `folder` (replaced)."""
    from safetensors.numpy import save_file

    from engine.training.runs import newest_checkpoint

    source = Path(source)
    ckpt = source if (source / "model.safetensors").is_file() else newest_checkpoint(source)
    if ckpt is None:
        raise ModelError(f"{source} is neither a word2vec run with a checkpoint nor a checkpoint folder.")
    words, counts, w1, w2, meta = read_vectors_folder(ckpt)
    dtype = np.float16 if fp16 else np.float32
    w1, w2 = w1.astype(dtype), w2.astype(dtype)
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({"in_vectors": w1, "out_vectors": w2}, str(tmp / "model.safetensors"))
    shutil.copyfile(ckpt / "vocab.tsv", tmp / "vocab.tsv")
    meta = {**meta, "exported_from": str(ckpt), "dtype": np.dtype(dtype).name, **(note or {}),
            "evaluation": _evaluation(words, w1.astype(np.float32))}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def _evaluation(words: list[str], vectors: np.ndarray) -> dict:
    """Accuracy on the built-in analogies, as stored (so the README's figure is what ships)."""
    from engine.metrics.analogy import analogy_accuracy, builtin_analogies

    score = analogy_accuracy(words, vectors, builtin_analogies())
    return {"analogy_accuracy": score.accuracy, "analogy_correct": score.correct, "analogy_questions": score.total,
            "analogy_skipped": score.skipped, "sections": {k: list(v) for k, v in score.sections.items()}}


def main(argv: list[str] | None = None) -> int:
    """python -m engine.loaders.word2vec RUN OUT: export a run's newest vectors (fp16)."""
    p = argparse.ArgumentParser(prog="python -m engine.loaders.word2vec", description=main.__doc__)
    p.add_argument("run", help="a word2vec run folder or checkpoint folder")
    p.add_argument("out", help="folder to write (replaced), e.g. assets/word2vec")
    p.add_argument("--fp32", action="store_true", help="keep float32 (default float16)")
    p.add_argument("--note", default="", help="JSON object merged into meta.json (e.g. the training command)")
    args = p.parse_args(argv)
    note = json.loads(args.note) if args.note else None
    try:
        print(export_vectors(Path(args.run), Path(args.out), fp16=not args.fp32, note=note))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
