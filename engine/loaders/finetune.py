"""Loading a `finetune` run (its newest checkpoint) as a text classifier: `classify(texts)`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.contract.loaded import LoadedModel


@dataclass(eq=False)
class FinetunedClassifier(LoadedModel):
    """A fine-tuned classifier: `module` (Classifier, eval mode), the base's `tokenizer`, `classes`."""

    module: Any = None
    tokenizer: Any = None
    classes: tuple[str, ...] = ()
    meta: Any = None

    def classify(self, texts: list[str]) -> list[dict[str, float]]:
        """Each text's class probabilities."""
        import torch

        enc = self.tokenizer(list(texts), padding=True, truncation=True,
                             max_length=int(self.meta.get("max_tokens", 512)), return_tensors="pt")
        with torch.inference_mode():
            probs = torch.softmax(self.module(enc["input_ids"].to(self.device),
                                              enc["attention_mask"].to(self.device)).float(), -1).cpu()
        return [dict(zip(self.classes, row.tolist())) for row in probs]


def load_finetune_folder(folder: Path, ref: Any, device: Any) -> FinetunedClassifier:
    """One checkpoint folder: the base rebuilt from meta.json (its weights replaced by the checkpoint's)."""
    from engine.data.lm_tokenizers import load_tokenizer
    from engine.loaders.lm_base import load_base
    from engine.loaders.lm_folders import load_state, read_meta
    from engine.models.text_classifier import Classifier, classifier_body

    meta = read_meta(folder, "finetune")
    base = load_base(meta["config"]["base"])
    body, width, causal = classifier_body(base, "pretrained")
    module = Classifier(body, width, len(meta["classes"]), causal)
    load_state(folder, module)
    module.to(device).eval()
    return FinetunedClassifier(ref=ref, device=device, source=str(folder), module=module,
                               tokenizer=load_tokenizer(folder), classes=tuple(meta["classes"]), meta=meta)


def load_finetune(ref: Any, device: Any) -> FinetunedClassifier:
    """The zoo loader: a finetune run folder (newest readable checkpoint) or one checkpoint folder."""
    from engine.errors import ModelError
    from engine.training.checkpoint import load_reference

    if ref.path is None:
        raise ModelError("finetune has no weights of its own; fine-tune with `mlsp finetune bert-mini --task topic "
                         "--out RUN` (or `mlsp train finetune --out RUN`) and load the run folder RUN.")
    return load_reference(ref, lambda folder: load_finetune_folder(folder, ref, device))
