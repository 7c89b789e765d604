"""The `hf` entry's loader: MarianMT folders (opus-mt translation models) become translation models
on the project's blocks (`engine.pretrained.marian`); ViT and ViT-MAE folders the project's vision
models (`engine.loaders.hf_vision`); every other folder loads as before (`engine.pretrained.hf_text`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import ModelError


@dataclass
class FolderTokenizers:
    """A folder's transformers tokenizer with the interface of the built-in models' tokenisers."""

    tok: Any
    pad_id: int
    bos_id: int                        # the decoder's start token (Marian: the pad token)
    eos_id: int
    src_size: int
    tgt_size: int

    def encode_source(self, text: str) -> tuple[list[int], list[str]]:
        ids = list(self.tok(text, add_special_tokens=False)["input_ids"])
        return ids, list(self.tok.convert_ids_to_tokens(ids))

    def encode_target(self, text: str) -> list[int]:
        return list(self.tok(text_target=text, add_special_tokens=False)["input_ids"])

    def target_tokens(self, ids) -> list[str]:
        return ["</s>" if int(i) == self.eos_id else t
                for i, t in zip(ids, self.tok.convert_ids_to_tokens([int(i) for i in ids]))]

    def decode_target(self, ids) -> str:
        return self.tok.decode([int(i) for i in ids], skip_special_tokens=True).strip()

    def source_note(self, text: str) -> str:
        unk = self.tok.unk_token_id
        n = sum(i == unk for i in self.encode_source(text)[0]) if unk is not None else 0
        return f"{n} piece{'s' if n > 1 else ''} not in the model's vocabulary (shown as {self.tok.unk_token})." if n else ""


def load_marian_folder(ref, folder: Path, device):
    from engine.hf_import import quiet_transformers
    from engine.loaders.translation import TranslationModel
    from engine.pretrained.hf_text import read_config
    from engine.pretrained.marian import load_marian

    quiet_transformers()
    cfg = read_config(folder)
    try:
        from engine.hf_import import HF_LOCK, hf_name

        with HF_LOCK:
            tok = hf_name("AutoTokenizer").from_pretrained(str(folder), local_files_only=True)
    except ImportError as exc:
        raise ModelError(f"the tokenizer of {folder} needs a package that is not installed ({exc}); "
                         "for opus-mt folders: pip install sentencepiece.") from None
    except Exception as exc:      # transformers raises many kinds; the user needs one sentence
        raise ModelError(f"could not load the tokenizer in {folder}: {exc}") from None
    net = load_marian(folder, cfg).to(device)
    toks = FolderTokenizers(tok, net.pad_id, net.start_id, net.eos_id, int(cfg["vocab_size"]), net.vocab)

    @dataclass
    class _Cfg:
        max_len: int

    return TranslationModel(ref=ref, device=device, source=str(folder), net=net, toks=toks,
                            config=_Cfg(int(cfg.get("max_position_embeddings", 512))), family="marian")


def load_hf_any(ref, device):
    """hf:PATH -> a MarianMT translation model, a ViT / ViT-MAE vision model, or the text model hf_text loads."""
    from engine.pretrained.hf_text import load_hf_folder, read_config
    from engine.pretrained.marian import supports
    from engine.pretrained.vision_kind import is_vision

    if ref.path is not None and is_vision(read_config(ref.path)):
        from engine.loaders.hf_vision import load_vision_folder

        return load_vision_folder(ref, device)
    if ref.path is not None and supports(read_config(ref.path)):
        return load_marian_folder(ref, ref.path, device)
    return load_hf_folder(ref, device)
