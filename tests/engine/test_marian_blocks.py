"""A tiny random MarianMTModel, saved with save_pretrained, runs on the project's blocks with the
same logits as transformers (teacher forced, padded batch) and the same cached decoding."""
from __future__ import annotations

import pytest
import torch

transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def marian_folder(tmp_path_factory):
    from transformers import MarianConfig, MarianMTModel

    cfg = MarianConfig(vocab_size=40, d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                       decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=64,
                       pad_token_id=39, eos_token_id=0, decoder_start_token_id=39, dropout=0.0, attention_dropout=0.0,
                       activation_dropout=0.0)
    torch.manual_seed(0)
    model = MarianMTModel(cfg).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                p.normal_(0.0, 0.2)
            elif "bias" in name:
                p.normal_(0.0, 0.05)
        model.final_logits_bias.normal_(0.0, 0.1)
    folder = tmp_path_factory.mktemp("marian")
    model.save_pretrained(folder)
    return folder, MarianMTModel.from_pretrained(folder).eval()


def _ours(folder):
    import json

    from engine.pretrained.marian import load_marian

    return load_marian(folder, json.loads((folder / "config.json").read_text()))


def test_logits_equal_transformers(marian_folder):
    folder, hf = marian_folder
    net = _ours(folder)
    src = torch.tensor([[5, 6, 7, 8, 0], [9, 10, 0, 39, 39]])
    keep = src != 39
    tgt_in = torch.tensor([[39, 4, 5, 6], [39, 8, 9, 4]])
    with torch.no_grad():
        ref = hf(input_ids=src, attention_mask=keep.long(), decoder_input_ids=tgt_in).logits
        got = net(src, keep, tgt_in)
    torch.testing.assert_close(got, ref, rtol=1e-5, atol=1e-5)


def test_cached_decoding_and_greedy_match_transformers(marian_folder):
    from engine.decoding import CachedLM, greedy

    folder, hf = marian_folder
    net = _ours(folder)
    src = torch.tensor([[5, 6, 7, 8, 0]])
    keep = src != 39
    with torch.no_grad():
        ref = hf.generate(input_ids=src, attention_mask=keep.long(), max_new_tokens=6, do_sample=False, num_beams=1,
                          bad_words_ids=[[39]])[0, 1:].tolist()
        lm = CachedLM(lambda ids, cache: _no_pad(net.decode(ids, cache)), lambda: net.new_cache(src, keep))
        ours = list(greedy(lm, [39], 6, eos=0).ids)
    assert ours[:5] == ref[:5]                   # HF forces </s> as the last token (forced_eos_token_id)


def _no_pad(logits):
    logits[..., 39] = float("-inf")
    return logits


def test_attention_of_every_stack_is_recorded(marian_folder):
    from engine.models.hooks import record
    from engine.probes.attention import attention_modules_of

    folder, _ = marian_folder
    net = _ours(folder)
    mods = attention_modules_of(net)
    assert [m.attention_stack for _, m in mods].count("cross") == 2
    src, tgt = torch.tensor([[5, 6, 7, 0]]), torch.tensor([[39, 4, 5]])
    with record(net, *[f"{n}.hook_weights" for n, _ in mods]) as rec, torch.no_grad():
        net(src, src != 39, tgt)
    w = rec.get_all(f"{mods[-1][0]}.hook_weights")[0]
    assert w.shape == (1, 2, 3, 4)


def _save_word_tokenizer(folder):
    """A word-level fast tokenizer whose ids fit the tiny model: </s> 0, <unk> 1, words, <pad> 39."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = "i am a student je suis étudiant the cat le chat is small est petit".split()
    vocab = {"</s>": 0, "<unk>": 1, **{w: i + 2 for i, w in enumerate(dict.fromkeys(words))}}
    vocab.update({f"w{i}": i for i in range(len(vocab), 39)})
    vocab["<pad>"] = 39
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
    fast.save_pretrained(folder)


def test_hf_marian_folder_translates_through_the_shared_decoders(marian_folder):
    from engine.contract.capabilities import Capability
    from engine.contract.protocols import missing_protocols
    from engine.probes.attention import attention
    from engine.probes.translation import translate
    from engine.records.inputs import SourceTarget
    from engine.zoo import load_model, resolve

    folder, hf = marian_folder
    _save_word_tokenizer(folder)
    ref = resolve(f"hf:{folder}")
    assert ref.can(Capability.TRANSLATE) and ref.can(Capability.ATTENTION)
    model = load_model(ref, "cpu")
    assert missing_protocols(model) == []
    t = translate(model, "i am a student", beam=1, max_len=5)
    src = torch.tensor([model.toks.encode_source("i am a student")[0] + [0]])
    with torch.no_grad():
        ref_ids = hf.generate(input_ids=src, max_new_tokens=6, do_sample=False, num_beams=1,
                              bad_words_ids=[[39]])[0, 1:].tolist()
    n = len(t.best.tokens)
    assert model.toks.encode_target(t.best.text) == [i for i in ref_ids[:n] if i != 0][: len(t.best.text.split())]
    maps = attention(model, SourceTarget("i am a student", "je suis étudiant"))
    assert [s.name for s in maps.stacks] == ["encoder", "decoder", "cross"]
    assert maps.stack("cross").tokens_k == ["i", "am", "a", "student", "</s>"]
