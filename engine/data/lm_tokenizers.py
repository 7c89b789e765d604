"""Tokenizers for the built-in language models, trained on the chosen corpus with the `tokenizers`
library and wrapped as `transformers.PreTrainedTokenizerFast` (saved in every checkpoint with
`save_pretrained`, loaded back with `load_tokenizer`).

    wordpiece(lines, vocab_size)   bert-mini: BERT's normaliser and pre-tokeniser, WordPiece pieces
                                   ("##ing"), [CLS] A [SEP] (B [SEP]) around every input
    bpe(lines, vocab_size)         gpt-mini "bpe": byte-level BPE (every text encodes), no specials added
    chars(lines)                   gpt-mini "char": one token per character seen, <unk> for the others

A corpus written in lowercase only (the built-in grammar) gets a lowercasing normaliser, so a
typed capital letter still reads as the word the model knows.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine.errors import InputError, ModelError

BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
EOS = "<|endoftext|>"
UNK = "<unk>"


def _lowercase_only(lines: Sequence[str]) -> bool:
    return not any(line != line.lower() for line in lines[:20000])


def _wrap(tok, **specials):
    from engine.hf_import import HF_LOCK, hf_name, quiet_transformers

    quiet_transformers()
    with HF_LOCK:
        return hf_name("PreTrainedTokenizerFast")(tokenizer_object=tok, **specials)


def wordpiece(lines: Sequence[str], vocab_size: int, max_tokens: int = 512):
    """A WordPiece tokenizer trained on `lines` (BERT's [PAD] [UNK] [CLS] [SEP] [MASK] first: ids 0-4)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, clean_text=True, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=list(BERT_SPECIALS),
                                        show_progress=False)
    tok.train_from_iterator(_nonempty(lines), trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece(prefix="##")
    return _wrap(tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
                 mask_token="[MASK]", model_max_length=max_tokens,
                 model_input_names=["input_ids", "token_type_ids", "attention_mask"])


def bpe(lines: Sequence[str], vocab_size: int, max_tokens: int = 1024):
    """A byte-level BPE tokenizer trained on `lines`; <|endoftext|> (id 0) separates texts."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    if _lowercase_only(lines):
        tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=[EOS], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_nonempty(lines), trainer=trainer)
    tok.decoder = decoders.ByteLevel()
    return _wrap(tok, eos_token=EOS, bos_token=EOS, pad_token=EOS, model_max_length=max_tokens)


def chars(lines: Sequence[str], max_tokens: int = 1024):
    """One token per character of `lines` (after lowercasing a lowercase-only corpus); <|endoftext|>
    (id 0) separates texts, <unk> (id 1) stands for characters never seen."""
    from tokenizers import Tokenizer, decoders, models, normalizers

    lower = _lowercase_only(lines)
    seen = sorted({c for line in lines for c in (line.lower() if lower else line)} - {"\n", "\r"})
    vocab = {EOS: 0, UNK: 1, **{c: i + 2 for i, c in enumerate(seen)}}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token=UNK))
    if lower:
        tok.normalizer = normalizers.Lowercase()
    tok.add_special_tokens([EOS])
    tok.decoder = decoders.Fuse()
    return _wrap(tok, eos_token=EOS, bos_token=EOS, pad_token=EOS, unk_token=UNK, model_max_length=max_tokens)


def _nonempty(lines: Sequence[str]):
    return (line for line in lines if line.strip())


def load_tokenizer(folder: str | Path):
    """The tokenizer saved in a checkpoint or exported folder (`tokenizer.json` and its config)."""
    from engine.hf_import import HF_LOCK, hf_name, quiet_transformers

    folder = Path(folder)
    if not (folder / "tokenizer.json").is_file():
        raise ModelError(f"{folder} holds no tokenizer.json; train the model again or export it with its tokenizer.")
    quiet_transformers()
    try:
        with HF_LOCK:
            tok = hf_name("PreTrainedTokenizerFast").from_pretrained(str(folder), local_files_only=True)
    except Exception as exc:  # transformers raises many kinds; the user needs one sentence
        raise ModelError(f"could not load the tokenizer in {folder}: {exc}") from None
    if tok.pad_token is None and tok.eos_token is not None:
        tok.pad_token = tok.eos_token
    return tok


def check_trained(tok, lines: Sequence[str], what: str) -> None:
    """InputError when the corpus was too small to train a usable tokenizer."""
    if len(tok) < 8:
        raise InputError(f"the {what} corpus is too small to train a tokenizer ({len(lines)} lines); give more text.")
