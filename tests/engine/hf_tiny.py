"""Tiny random HuggingFace folders (BERT, RoBERTa, DistilBERT, ELECTRA, GPT-2) built and saved
by the tests themselves with `save_pretrained` and a tokenizer trained here: no downloads."""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import string
import tempfile
from pathlib import Path

import torch
import transformers

transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

SENTENCES = [
    "the cat sat on the mat", "it was tired", "thinking machines attend to every word",
    "the dog and the cat", "a machine is thinking of a word", "attention is all you need",
    "queries keys and values", "the softmax of the scaled scores",
]
WORDS = sorted({w for s in SENTENCES for w in s.split()})
SPECIAL_BPE = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def wordpiece_vocab() -> dict[str, int]:
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + list(string.ascii_lowercase)
    pieces += ["##" + c for c in string.ascii_lowercase] + list(".,!?'")
    return {p: i for i, p in enumerate(dict.fromkeys(pieces))}


def byte_bpe(specials: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A byte-level BPE vocabulary and merges trained on SENTENCES."""
    from tokenizers import ByteLevelBPETokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(SENTENCES * 4, vocab_size=400, min_frequency=1, special_tokens=specials, show_progress=False)
    data = json.loads(bpe._tokenizer.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in data["merges"]]
    return data["vocab"], merges


def _init(model, std: float = 0.2):
    """Larger random weights than HF's 0.02, so attention is far from uniform."""
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                p.normal_(0.0, std)
            elif "bias" in name:
                p.normal_(0.0, 0.05)
    return model.eval()


def save_bert_like(folder: Path, kind: str = "bert", with_head: bool = False) -> Path:
    """kind: bert | distilbert | electra. with_head saves an MLM model (keys under a prefix)."""
    import transformers as tf

    vocab = wordpiece_vocab()
    small = dict(vocab_size=len(vocab))
    if kind == "distilbert":
        cfg = tf.DistilBertConfig(dim=32, n_layers=2, n_heads=4, hidden_dim=64, max_position_embeddings=64, **small)
        model = (tf.DistilBertForMaskedLM if with_head else tf.DistilBertModel)(cfg)
        tok = tf.DistilBertTokenizer(vocab=vocab)
    else:
        cfg_cls = tf.ElectraConfig if kind == "electra" else tf.BertConfig
        extra = {"embedding_size": 32} if kind == "electra" else {}
        cfg = cfg_cls(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                      max_position_embeddings=64, **small, **extra)
        if kind == "electra":
            model = tf.ElectraModel(cfg)
        else:
            model = (tf.BertForMaskedLM if with_head else tf.BertModel)(cfg)
        tok = tf.BertTokenizer(vocab=vocab)
    _init(model).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def save_roberta(folder: Path) -> Path:
    import transformers as tf

    vocab, merges = byte_bpe(SPECIAL_BPE)
    cfg = tf.RobertaConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=64, max_position_embeddings=66, pad_token_id=vocab["<pad>"],
                           bos_token_id=vocab["<s>"], eos_token_id=vocab["</s>"], type_vocab_size=1)
    _init(tf.RobertaModel(cfg)).save_pretrained(folder)
    tf.RobertaTokenizer(vocab=vocab, merges=merges).save_pretrained(folder)
    return folder


def save_gpt2(folder: Path, n_positions: int = 64) -> Path:
    import transformers as tf

    vocab, merges = byte_bpe(["<|endoftext|>"])
    eos = vocab["<|endoftext|>"]
    cfg = tf.GPT2Config(vocab_size=len(vocab), n_embd=32, n_layer=2, n_head=4, n_positions=n_positions,
                        bos_token_id=eos, eos_token_id=eos)
    _init(tf.GPT2LMHeadModel(cfg)).save_pretrained(folder)
    tf.GPT2Tokenizer(vocab=vocab, merges=merges).save_pretrained(folder)
    return folder


def hf_model(folder: Path, lm_head: bool = False):
    """The reference: the same folder loaded by transformers with eager attention."""
    import transformers as tf

    cls = tf.AutoModelForCausalLM if lm_head else tf.AutoModel
    return cls.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager").eval()


_BUILDERS = {"bert": lambda f: save_bert_like(f, "bert", with_head=True),
             "distilbert": lambda f: save_bert_like(f, "distilbert"),
             "electra": lambda f: save_bert_like(f, "electra"),
             "roberta": save_roberta, "gpt2": save_gpt2}


@functools.cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="mlsp-hf-tiny-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@functools.cache
def tiny_folder(kind: str) -> Path:
    """One shared folder per kind for the whole test session (built once; tests must not change it):
    bert (saved with an MLM head), distilbert, electra, roberta, gpt2 (64 positions)."""
    return _BUILDERS[kind](_root() / kind)
