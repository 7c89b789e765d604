"""`word2vec`: skip-gram / CBOW word vectors, trained by `mlsp train word2vec` on the built-in grammar
(or your own text); the shipped vectors live in assets/word2vec/."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="word2vec",
    title="word2vec (skip-gram / CBOW, negative sampling)",
    capabilities={C.WORD_VECTORS, C.TRAIN},
    inputs=(I.TEXT,),
    outputs=(O.VECTORS,),
    data_kind="text",
    source="builtin",
    description="Word vectors learned by predicting context words (skip-gram) or the centre word (CBOW) "
                "against sampled noise words. The shipped vectors were trained on builtin:grammar; "
                "train on a .txt file or folder with `mlsp train word2vec --data PATH`.",
    loader="engine.loaders.word2vec:load_word2vec",
    config="engine.models.word2vec.model:Word2VecConfig",
    task="engine.tasks.word2vec:Word2VecTask",
    default_data="builtin:grammar",
    weights="word2vec",
))
