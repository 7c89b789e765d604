"""`nmt-transformer`: a Transformer encoder-decoder for English -> French on the project's blocks
(masked decoder self-attention, cross-attention, KV cache); shipped weights in assets/nmt-transformer/."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="nmt-transformer",
    title="Transformer encoder-decoder (English → French)",
    capabilities={C.TRANSLATE, C.ATTENTION, C.TRAIN},
    inputs=(I.SOURCE_TARGET,),
    outputs=(O.TEXT, O.TOKEN_PROBS, O.ATTENTION),
    data_kind="parallel",
    source="builtin",
    description="Encoder self-attention, masked decoder self-attention and cross-attention (queries from the "
                "decoder, keys and values from the encoder), label smoothing, decoded by beam search with a "
                "key/value cache. The shipped weights were trained on builtin:en-fr; train your own with "
                "`mlsp train nmt-transformer --data PAIRS.tsv`.",
    loader="engine.loaders.translation:load_translation",
    config="engine.models.nmt_transformer:NMTTransformerConfig",
    task="engine.tasks.translation:NMTTransformerTask",
    default_data="builtin:en-fr",
    weights="nmt-transformer",
))
