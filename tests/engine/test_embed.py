"""`embed` against sentence-transformers' own encoding (MiniLM and a tiny random BERT folder
built here with the `tokenizers` library, no downloads) and word-vector export."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from engine.contract.capabilities import Capability
from engine.contract.loaded import LoadedModel
from engine.errors import InputError, ModelError
from engine.probes.embed import embed, embed_vocabulary, embed_words
from engine.zoo import load_model, resolve

torch = pytest.importorskip("torch")
st = pytest.importorskip("sentence_transformers")

LONG = " ".join(f"token{i} attention head" for i in range(200))        # far beyond 256 word pieces
TEXTS = ["Attention is all you need.", "", "   ", "Le café naïve — 日本語のテキスト", LONG,
         "A dog chases the ball.", "self-supervised wav2vec learns speech units"]
WORDS = ["attention", "is", "all", "you", "need", "a", "dog", "chases", "the", "ball", "speech", "cat", "sat"]


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm", "cpu")


def test_minilm_equals_sentence_transformers(minilm):
    from engine.pretrained.minilm import minilm_folder

    result = embed(minilm, TEXTS)
    reference = st.SentenceTransformer(str(minilm_folder()), device="cpu").encode(TEXTS, batch_size=3)
    assert result.kind == "sentence" and result.labels == TEXTS
    assert result.vectors.shape == (len(TEXTS), 384) and result.vectors.dtype == np.float32
    np.testing.assert_allclose(result.vectors, reference, atol=1e-5, rtol=0)
    np.testing.assert_allclose(np.linalg.norm(result.vectors, axis=1), 1.0, atol=1e-5)


def test_minilm_batches_do_not_change_the_vectors(minilm):
    texts = ["a short one", "a somewhat longer sentence that needs padding in its batch"]
    one_by_one = np.concatenate([embed(minilm, [t]).vectors for t in texts])
    np.testing.assert_allclose(embed(minilm, texts, batch_size=2).vectors, one_by_one, atol=1e-5)


def _tiny_bert_folder(folder) -> None:
    """A random 2-layer BERT and a WordPiece tokenizer built offline, saved as a HuggingFace folder."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {w: i for i, w in enumerate(specials + WORDS + ["##s", "##ing", "."])}
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                            sep_token="[SEP]", mask_token="[MASK]", model_max_length=64).save_pretrained(folder)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).eval().save_pretrained(folder)


def test_tiny_hf_folder_equals_sentence_transformers(tmp_path):
    _tiny_bert_folder(tmp_path)
    texts = ["the dog chases the ball.", "attention is all you need", "a cat sat", "unknown wordz here"]
    model = load_model(f"hf:{tmp_path}", "cpu")
    assert model.id == "hf" and model.can(Capability.EMBED)
    result = embed(model, texts)
    reference = st.SentenceTransformer(str(tmp_path), device="cpu").encode(texts)
    assert result.vectors.shape == (4, 32)
    np.testing.assert_allclose(result.vectors, reference, atol=1e-5, rtol=0)
    assert resolve(str(tmp_path)).spec.id == "hf"              # a bare folder path works too


@dataclass
class TinyWordModel(LoadedModel):
    """What a word2vec model gives: words, their corpus counts, one vector per word."""

    words: list = field(default_factory=list)
    counts: np.ndarray = None
    vectors: np.ndarray = None


def _word_model() -> TinyWordModel:
    rng = np.random.default_rng(3)
    return TinyWordModel(ref=resolve("word2vec"), device="cpu",
                         words=["the", "king", "queen", "Paris"], counts=np.array([90, 7, 5, 2]),
                         vectors=rng.normal(size=(4, 6)).astype(np.float32))


def test_vocabulary_export_has_word_and_count_columns():
    model = _word_model()
    result = embed_vocabulary(model)
    assert result.kind == "word" and result.labels == model.words
    np.testing.assert_array_equal(result.vectors, model.vectors)
    assert result.metadata == {"word": ["the", "king", "queen", "Paris"], "count": ["90", "7", "5", "2"]}


def test_words_are_looked_up_and_missing_ones_named():
    model = _word_model()
    result = embed(model, ["queen king", "paris"])                 # embed() dispatches to word vectors
    assert result.labels == ["queen", "king", "Paris"]
    np.testing.assert_array_equal(result.vectors, model.vectors[[2, 1, 3]])
    assert result.metadata["count"] == ["5", "7", "2"]
    with pytest.raises(InputError, match=r"'prince' is not in the vocabulary .* \(4 words\)"):
        embed_words(model, ["king", "prince"])


def test_models_without_vectors_are_refused():
    plain = LoadedModel(ref=resolve("toy-mlp"), device="cpu")
    with pytest.raises(ModelError, match="cannot embed inputs; choose .*logmel.*minilm.* or a HuggingFace folder"):
        embed(plain, ["hello"])
    with pytest.raises(ModelError, match="cannot give word vectors; choose word2vec"):
        embed_vocabulary(plain)
    audio_only = LoadedModel(ref=resolve("logmel"), device="cpu")
    with pytest.raises(ModelError, match="embeds audio input, not text"):
        embed(audio_only, ["hello"])


def load_tiny_words(ref, device) -> TinyWordModel:
    """Loader of the registry entry the CLI test adds (called through engine.zoo.load_model)."""
    model = _word_model()
    return TinyWordModel(ref=ref, device=device, words=model.words,
                         counts=model.counts, vectors=model.vectors)


def test_cli_exports_the_vocabulary_or_the_given_words(tmp_path, monkeypatch, capsys):
    from engine.cli import main
    from engine.contract import registry as reg
    from engine.contract.spec import ModelSpec

    spec = ModelSpec(id="tiny-words", title="tiny word vectors", capabilities={"word-vectors"}, inputs=("text",),
                     outputs=("vectors",), source="builtin", description="test entry",
                     loader=f"{__name__}:load_tiny_words")
    reg.registry()
    monkeypatch.setitem(reg._REGISTRY, spec.id, spec)
    model = _word_model()
    vectors, labels = tmp_path / "vectors.tsv", tmp_path / "metadata.tsv"
    assert main(["embed", "tiny-words", "--out", str(vectors), "--metadata", str(labels), "--device", "cpu"]) == 0
    np.testing.assert_allclose(np.loadtxt(vectors, delimiter="\t"), model.vectors, rtol=1e-7)
    assert labels.read_text(encoding="utf-8").splitlines() == ["word\tcount", "the\t90", "king\t7", "queen\t5",
                                                                 "Paris\t2"]
    capsys.readouterr()
    assert main(["embed", "tiny-words", "queen", "king", "--device", "cpu"]) == 0
    printed = np.loadtxt(capsys.readouterr().out.splitlines(), delimiter="\t")
    np.testing.assert_allclose(printed, model.vectors[[2, 1]], rtol=1e-7)
    assert main(["embed", "tiny-words", "prince", "--device", "cpu"]) == 2
    assert "'prince' is not in the vocabulary of 'tiny-words'" in capsys.readouterr().err


def test_built_in_grammar_words_get_a_group_column_to_colour_by():
    expected = {"king": "people", "queens": "people", "mary": "people", "paris": "capital", "rome": "capital",
                "france": "country", "italy": "country", "french": "nationality", "dog": "animal", "cats": "animal",
                "apples": "food", "milk": "food", "red": "colour", "blue": "colour", "three": "number",
                "third": "number", "monday": "time", "may": "time", "doctor": "profession", "running": "verb",
                "swam": "verb", "bigger": "adjective", "tired": "adjective", "house": "thing", "the": "other",
                "xylophone": "other"}
    words = list(expected)
    rng = np.random.default_rng(0)
    model = TinyWordModel(ref=resolve("word2vec"), device="cpu", words=words,
                          counts=np.arange(len(words), 0, -1), vectors=rng.normal(size=(len(words), 4)).astype(np.float32))
    result = embed_vocabulary(model)
    assert dict(zip(result.labels, result.metadata["group"])) == expected
    assert embed_words(model, ["paris dog"]).metadata["group"] == ["capital", "animal"]
    assert 1 < len(set(result.metadata["group"])) <= 14          # each group keeps its own palette colour
