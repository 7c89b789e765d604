"""Tokenisers of a translation model, one per language, trained with the `tokenizers` library on the
chosen corpus's training split and saved in every checkpoint (`src_tokenizer.json`,
`tgt_tokenizer.json`) and in the shipped weights.

    kind "word"  word-level: lowercase words; a word not seen in training is `<unk>` (visible)
    kind "bpe"   byte-pair encoding (Metaspace pre-tokeniser): unknown words become sub-words

Special tokens have fixed ids in both vocabularies: <pad> 0, <unk> 1, <s> 2, </s> 3. The English
side drops punctuation (the built-in corpus has none) and folds case; the French side keeps its
case and apostrophes (l'enfant is one word).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ConfigError, InputError

PAD, UNK, BOS, EOS = 0, 1, 2, 3
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
KINDS = ("word", "bpe")
SRC_FILE, TGT_FILE = "src_tokenizer.json", "tgt_tokenizer.json"
MAX_WORDS = 200                      # longest sentence translated (words); longer ones are refused


@dataclass
class NMTTokenizers:
    """The source and target tokenisers (tokenizers.Tokenizer objects)."""

    src: object
    tgt: object

    @property
    def src_size(self) -> int:
        return self.src.get_vocab_size()

    @property
    def tgt_size(self) -> int:
        return self.tgt.get_vocab_size()

    def encode_source(self, text: str) -> tuple[list[int], list[str]]:
        """Ids and tokens of a source sentence (without </s>)."""
        enc = self.src.encode(text, add_special_tokens=False)
        return list(enc.ids), list(enc.tokens)

    def encode_target(self, text: str) -> list[int]:
        return list(self.tgt.encode(text, add_special_tokens=False).ids)

    def target_tokens(self, ids: Iterable[int]) -> list[str]:
        return [self.tgt.id_to_token(int(i)) or "<unk>" for i in ids]

    def decode_target(self, ids: Iterable[int]) -> str:
        """Text of target ids (special tokens but <unk> dropped; <unk> stays visible)."""
        keep = [int(i) for i in ids if int(i) not in (PAD, BOS, EOS)]
        if not keep:
            return ""
        if self.tgt.decoder is None:                  # word level: words joined by spaces
            return " ".join(self.target_tokens(keep))
        return self.tgt.decode(keep, skip_special_tokens=False)

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        self.src.save(str(folder / SRC_FILE))
        self.tgt.save(str(folder / TGT_FILE))

    @classmethod
    def load(cls, folder: Path) -> NMTTokenizers:
        from tokenizers import Tokenizer

        folder = Path(folder)
        try:
            return cls(Tokenizer.from_file(str(folder / SRC_FILE)), Tokenizer.from_file(str(folder / TGT_FILE)))
        except Exception as exc:                      # tokenizers raises plain Exceptions
            from engine.errors import ModelError

            raise ModelError(f"{folder} has no readable {SRC_FILE} / {TGT_FILE} ({exc}); "
                             "it is not a translation checkpoint.") from None


def _new(kind: str, source_side: bool):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    if kind not in KINDS:
        raise ConfigError(f"tokenizer must be one of {', '.join(KINDS)}, not '{kind}'.")
    steps = [normalizers.NFKC()]
    if source_side:
        steps += [normalizers.Lowercase(), normalizers.Replace(Regex(r"[.,!?;:\"«»()]"), " ")]
    else:
        steps += [normalizers.Replace(Regex(r"\s+"), " ")]
    if kind == "word":
        tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    else:
        tok = Tokenizer(models.BPE(unk_token="<unk>"))
        tok.pre_tokenizer = pre_tokenizers.Metaspace()
        tok.decoder = decoders.Metaspace()
    tok.normalizer = normalizers.Sequence(steps)
    return tok


def _train(tok, texts: list[str], kind: str, vocab_size: int, min_frequency: int) -> None:
    from tokenizers import trainers

    if kind == "word":
        trainer = trainers.WordLevelTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                            special_tokens=SPECIALS, show_progress=False)
    else:
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                      special_tokens=SPECIALS, show_progress=False)
    tok.train_from_iterator(texts, trainer)


def train_tokenizers(pairs, kind: str = "word", vocab_size: int = 8000, min_frequency: int = 1) -> NMTTokenizers:
    """Source and target tokenisers trained on `pairs` (ParallelPair: source, target)."""
    pairs = list(pairs)
    if not pairs:
        raise InputError("the corpus has no training pairs to build a vocabulary from.")
    src, tgt = _new(kind, True), _new(kind, False)
    _train(src, [p.source for p in pairs], kind, vocab_size, min_frequency)
    _train(tgt, [p.target for p in pairs], kind, vocab_size, min_frequency)
    for t in (src, tgt):
        if [t.token_to_id(s) for s in SPECIALS] != [PAD, UNK, BOS, EOS]:
            raise ConfigError("the tokenizer did not put the special tokens first; this is a bug.")
    return NMTTokenizers(src, tgt)
