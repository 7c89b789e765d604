"""`gpt-mini`: a small decoder-only causal language model (GPT), trained by `mlsp train gpt-mini`
on the built-in grammar (or your text); byte-level BPE or character tokens."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="gpt-mini",
    title="gpt-mini (causal language model, trainable)",
    capabilities={C.GENERATE, C.ATTENTION, C.TOKEN_STATES, C.EMBED, C.TRAIN},
    inputs=(I.TEXT,),
    outputs=(O.TEXT, O.TOKEN_PROBS, O.ATTENTION, O.VECTORS),
    data_kind="text",
    source="builtin",
    description="A 4-layer, 4-head, 128-d decoder-only transformer (pre-LN, weight tying, key/value cache) trained to "
                "predict the next token; byte-level BPE (default) or characters (`--set tokenizer=char`). The shipped "
                "weights were trained on builtin:grammar; `mlsp generate gpt-mini \"the queen\"`.",
    loader="engine.loaders.gpt_mini:load_gpt_mini",
    config="engine.models.gpt_mini:GPTMiniConfig",
    task="engine.tasks.gpt_mini:GPTMiniTask",
    default_data="builtin:grammar",
    weights="gpt-mini",
))
