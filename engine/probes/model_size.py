"""The Model size view's record: the loaded transformer's parameters counted by part from its
weights, the same by the formula of `engine.metrics.model_size`, and the GPT series."""
from __future__ import annotations

from engine.errors import ModelError
from engine.metrics.model_size import SizeConfig, count, gpt_series
from engine.records.model_size import PARTS, ModelSize, ParameterCount


def part_of(name: str) -> str:
    """Which part a parameter of our blocks belongs to, from its name."""
    leaf = name.split(".")
    if leaf[0] in ("head", "lm_head"):
        return "head"
    if ".attn." in name or ".cross_attn." in name:
        return "attention"
    if ".ffn." in name:
        return "feed-forward"
    if any(p in ("norm", "norm1", "norm2", "norm_cross") for p in leaf):
        return "norms"
    return "embeddings"


def counted(net, name: str) -> ParameterCount:
    """Parameters of `net` by part (a tied weight counted once, where it is first defined)."""
    parts = dict.fromkeys(PARTS, 0)
    for pname, p in net.named_parameters():          # named_parameters skips the second name of a tied weight
        parts[part_of(pname)] += int(p.numel())
    return ParameterCount(name=name, parts=parts, source="counted")


def size_config(net) -> SizeConfig:
    """The formula's configuration of one of our networks (GPT2, BertMLM, BertEncoder)."""
    cfg = getattr(net, "cfg", None)
    if cfg is None or not hasattr(cfg, "d_model"):
        raise ModelError("the model size view needs a transformer on the project's blocks (BERT family, GPT).")
    if hasattr(net, "wte"):                           # GPT-2 / gpt-mini
        return SizeConfig(cfg.vocab_size, cfg.d_model, cfg.n_layers, cfg.d_ff, cfg.max_positions,
                          head="tied" if cfg.tie_embeddings else "untied")
    tied = hasattr(net, "head") and net.head.decoder.weight is net.bert.embeddings.word.weight
    return SizeConfig(cfg.vocab_size, cfg.d_model, cfg.n_layers, cfg.d_ff, cfg.max_positions,
                      segments=cfg.type_vocab_size, final_norm=False, embed_norm=True,
                      head=("mlm" if tied else "mlm-untied") if hasattr(net, "head") else "none")


def model_size(model) -> ModelSize:
    net = getattr(model, "net", None)
    if net is None:
        raise ModelError(f"'{model.name}' is not a transformer on the project's blocks; the model size view "
                         "counts BERT-family and GPT models (bert-mini, gpt-mini, minilm, hf:PATH).")
    cfg = size_config(net)
    if cfg.head == "mlm-untied":                      # an untied MLM decoder: the formula adds V d
        formula = count(SizeConfig(**{**cfg.__dict__, "head": "mlm"}), model.name)
        formula.parts["head"] += cfg.vocab * cfg.d_model
    else:
        formula = count(cfg, model.name)
    return ModelSize(model=counted(net, model.name), formula=formula, references=gpt_series())
