"""`word2vec`: skip-gram / CBOW word vectors, trained by `mlsp train word2vec` on the built-in grammar
(or your own text); the shipped vectors live in assets/word2vec/."""
from engine.zoo import register
from engine.zoo.spec import ModelSpec

register(ModelSpec(
    id="word2vec",
    title="word2vec (skip-gram / CBOW, negative sampling)",
    modality="text",
    tasks=("embed", "neighbors", "analogy", "similarity", "train"),
    source="builtin",
    description="Word vectors learned by predicting context words (skip-gram) or the centre word (CBOW) "
                "against sampled noise words. The shipped vectors were trained on builtin:grammar; "
                "train on a .txt file or folder with `mlsp train word2vec --data PATH`.",
    loader="engine.models.word2vec_loader:load_word2vec",
    config="engine.models.word2vec:Word2VecConfig",
    task="engine.models.word2vec_task:Word2VecTask",
    default_data="builtin:grammar",
    weights="word2vec",
))
