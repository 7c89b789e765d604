"""`seq2seq`: the lecture's recurrent encoder-decoder for English -> French, with Bahdanau (additive),
Luong (dot) or no attention (`--set attention=none|additive|dot`); shipped weights (additive) in
assets/seq2seq/."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="seq2seq",
    title="Seq2seq GRU encoder-decoder with attention (English → French)",
    capabilities={C.TRANSLATE, C.ATTENTION, C.TRAIN},
    inputs=(I.SOURCE_TARGET,),
    outputs=(O.TEXT, O.TOKEN_PROBS, O.ATTENTION),
    data_kind="parallel",
    source="builtin",
    description="A bidirectional GRU encoder and a GRU decoder that attends to every encoder state at each step "
                "(Bahdanau's additive attention; --set attention=dot for Luong's, none for the plain encoder-decoder "
                "with its one-vector bottleneck). The shipped weights were trained on builtin:en-fr; train your own "
                "with `mlsp train seq2seq --data PAIRS.tsv`.",
    loader="engine.loaders.translation:load_translation",
    config="engine.models.seq2seq:Seq2SeqConfig",
    task="engine.tasks.translation:Seq2SeqTask",
    default_data="builtin:en-fr",
    weights="seq2seq",
    refine="engine.loaders.translation_declared:declared",
))
