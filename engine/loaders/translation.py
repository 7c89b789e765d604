"""Loading a translation model (`seq2seq`, `nmt-transformer`): the shipped weights (assets/NAME/),
a training run (its newest checkpoint) or one checkpoint folder. All hold the same files:

    model.safetensors    the network's weights (fp32, or fp16 in assets/)
    meta.json            family, config, vocabulary sizes (Task.model_meta)
    src_tokenizer.json   the source and target tokenisers (`tokenizers` library)
    tgt_tokenizer.json

`python -m engine.loaders.translation export RUN assets/NAME` writes that layout in fp16 (how a
training run becomes the shipped weights).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

import engine.contract.protocols_translation  # noqa: F401  (registers the TRANSLATE protocol)
from engine.contract.attention import AttentionPass
from engine.contract.loaded import LoadedModel
from engine.data.nmt_tokenizers import NMTTokenizers
from engine.errors import InputError, ModelError
from engine.loaders.translation_decode import (
    check_sentence,
    encode_sources,
    forced_cross_attention,
    greedy_translate,
    max_new_for,
    specials,
    step_model,
)
from engine.records.attention import SequenceInfo
from engine.records.translation import Beam, Translation

FAMILIES = ("seq2seq", "nmt-transformer")


@dataclass(eq=False)
class TranslationModel(LoadedModel):
    """A trained encoder-decoder: `net` (eval mode), its tokenisers and config."""

    net: Any = None
    toks: NMTTokenizers | None = None
    config: Any = None
    family: str = ""
    checkpoint_step: int | None = None

    @property
    def max_tokens(self) -> int:
        return int(self.config.max_len)

    # --- TRANSLATE ----------------------------------------------------------------------------
    def translate(self, text: str, beam: int = 4, length_penalty: float = 1.0, max_len: int | None = None) -> Translation:
        """Beam search over one sentence: every beam (best first) with its token probabilities and
        the cross-attention of every step."""
        from engine.decoding import beam_search

        text = check_sentence(text, self.max_tokens)
        enc = encode_sources(self.toks, [text], self.device, self.max_tokens)
        max_new = max_new_for(int(enc.keep.sum())) if max_len is None else int(max_len)
        if self.family == "nmt-transformer":
            max_new = min(max_new, self.max_tokens)
        pad, bos, eos = specials(self.toks)
        with torch.inference_mode():
            hyps = beam_search(step_model(self.net, enc.ids, enc.keep, (pad, bos)), [bos], beam, max_new, length_penalty,
                               eos=eos)
            hyps = hyps[:beam]                           # the K best of every beam that finished or lived
            attn = forced_cross_attention(self.net, enc.ids, enc.keep, [list(h.ids) for h in hyps], pad, bos)
        beams = [Beam(text=self.toks.decode_target(h.ids), tokens=self.toks.target_tokens(h.ids),
                      token_probs=np.asarray(h.token_probs, np.float32), logprob=float(h.logprob),
                      score=float(h.score), finished=bool(h.finished), cross_attention=a)
                 for h, a in zip(hyps, attn)]
        return Translation(model=self.name, source=text, source_tokens=enc.tokens[0], beams=beams, beam_size=beam,
                           length_penalty=float(length_penalty), note=source_note(self.toks, text))

    def translate_many(self, texts: list[str], beam: int = 1) -> list[str]:
        """Translations of many sentences: greedy in batches (beam 1), else beam search one by one."""
        if beam <= 1:
            return greedy_translate(self.net, self.toks, [check_sentence(t, self.max_tokens) for t in texts],
                                    self.device, self.max_tokens)
        return [self.translate(t, beam).best.text for t in texts]

    # --- ATTENTION ----------------------------------------------------------------------------
    def attention_pass(self, inp: Any, generate: int = 0) -> AttentionPass:
        """A teacher-forced pass over the given target, or over the model's own translation (beam 4)."""
        source = getattr(inp, "source", None)
        if source is None:
            source = getattr(inp, "text", None)
        if source is None:
            raise InputError(f"'{self.name}' translates text; give an English sentence.")
        text = check_sentence(source, self.max_tokens)
        enc = encode_sources(self.toks, [text], self.device, self.max_tokens)
        target = getattr(inp, "target", None)
        _, bos, eos = specials(self.toks)
        if target:
            out = self.toks.encode_target(target) + [eos]
            note = ""
        else:
            out = self._best_ids(text)
            note = "Target: the model's own translation (beam 4)."
        tgt_in = torch.tensor([[bos] + out[:-1]], dtype=torch.long, device=self.device)
        labels = ["<s>"] + self.toks.target_tokens(out[:-1])
        seqs = {"source": SequenceInfo("source", enc.tokens[0]), "target": SequenceInfo("target", labels)}
        extra = source_note(self.toks, text)
        note = " ".join(n for n in (note, extra) if n)
        return AttentionPass(net=self.net, run=lambda: self.net(enc.ids, enc.keep, tgt_in), sequences=seqs, note=note)

    def _best_ids(self, text: str) -> list[int]:
        from engine.decoding import beam_search

        enc = encode_sources(self.toks, [text], self.device, self.max_tokens)
        pad, bos, eos = specials(self.toks)
        with torch.inference_mode():
            hyps = beam_search(step_model(self.net, enc.ids, enc.keep, (pad, bos)), [bos], 4,
                               max_new_for(int(enc.keep.sum())), 1.0, eos=eos)
        ids = list(hyps[0].ids)
        return ids if ids and ids[-1] == eos else ids + [eos]


def source_note(toks: NMTTokenizers, text: str) -> str:
    """Which source words the model does not know (read as <unk>), and a hint when most are unknown."""
    if not hasattr(toks, "src"):
        return toks.source_note(text) if hasattr(toks, "source_note") else ""
    enc = toks.src.encode(text, add_special_tokens=False)
    unknown = [text[a:b] for t, (a, b) in zip(enc.tokens, enc.offsets) if t == "<unk>"]
    if not unknown:
        return ""
    shown = ", ".join(f"'{w}'" for w in unknown[:6]) + (" …" if len(unknown) > 6 else "")
    note = f"Not in the model's English vocabulary (read as <unk>): {shown}."
    if len(unknown) * 2 > len(enc.tokens):
        note += " Most words are unknown: is the sentence English?"
    return note


# --- loading --------------------------------------------------------------------------------------

def _build(family: str, cfg_dict: dict, src_vocab: int, tgt_vocab: int):
    if family == "seq2seq":
        from engine.models.seq2seq import Seq2Seq, Seq2SeqConfig

        cfg = Seq2SeqConfig(**cfg_dict)
        return Seq2Seq(cfg, src_vocab, tgt_vocab), cfg
    if family == "nmt-transformer":
        from engine.models.nmt_transformer import NMTTransformer, NMTTransformerConfig

        cfg = NMTTransformerConfig(**cfg_dict)
        return NMTTransformer(cfg, src_vocab, tgt_vocab), cfg
    raise ModelError(f"'{family}' is not a translation model family ({', '.join(FAMILIES)}).")


def load_folder(folder: Path, ref: Any, device: Any) -> TranslationModel:
    """A checkpoint or exported folder -> TranslationModel."""
    from safetensors.torch import load_file

    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        state = load_file(str(folder / "model.safetensors"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder} is not a translation checkpoint: {exc}.") from None
    toks = NMTTokenizers.load(folder)
    net, cfg = _build(meta["family"], meta["config"], toks.src_size, toks.tgt_size)
    net.load_state_dict({k: v.float() for k, v in state.items()})
    net.to(device).eval()
    step = meta.get("step")
    if step is None and folder.name.startswith("step-"):
        step = int(folder.name[5:])
    return TranslationModel(ref=ref, device=device, source=str(folder), net=net, toks=toks, config=cfg,
                            family=meta["family"], checkpoint_step=step)


def load_translation(ref: Any, device: Any, checkpoint: str | Path | None = None) -> TranslationModel:
    """The zoo loader: shipped weights (ref.path None), a run folder's newest readable checkpoint, or `checkpoint`."""
    from engine.training.checkpoint import load_reference

    if checkpoint is not None:
        return load_folder(Path(checkpoint), ref, device)
    return load_reference(ref, lambda folder: load_folder(folder, ref, device))


def export(source: str, out: str) -> Path:
    """Write a run's newest checkpoint (or a checkpoint folder) as shipped weights in fp16."""
    from safetensors.torch import load_file, save_file

    from engine.training.runs import newest_checkpoint

    src = Path(source)
    ckpt = src if (src / "meta.json").is_file() else newest_checkpoint(src)
    if ckpt is None:
        raise ModelError(f"{source} has no checkpoint to export.")
    dest = Path(out)
    dest.mkdir(parents=True, exist_ok=True)
    state = load_file(str(ckpt / "model.safetensors"))
    save_file({k: v.half().contiguous() for k, v in state.items()}, str(dest / "model.safetensors"))
    meta = json.loads((ckpt / "meta.json").read_text(encoding="utf-8"))
    meta["step"] = int(ckpt.name[5:]) if ckpt.name.startswith("step-") else meta.get("step")
    meta["exported_from"] = str(ckpt)
    (dest / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    NMTTokenizers.load(ckpt).save(dest)
    return dest


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "export":
        print("usage: python -m engine.loaders.translation export RUN_OR_CHECKPOINT assets/NAME", file=sys.stderr)
        return 2
    print(f"wrote {export(argv[1], argv[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
