"""`finetune`: a pre-trained language model (bert-mini, gpt-mini, a run of either, hf:PATH)
fine-tuned as a sentence classifier by `mlsp train finetune` / `mlsp finetune` (an ordinary run)."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="finetune",
    title="Fine-tuning (a language model as a sentence classifier)",
    capabilities={C.TRAIN},
    inputs=(I.TEXT,),
    outputs=(O.LABELS,),
    data_kind="labelled",
    source="builtin",
    description="The base model's token states (bert-mini, gpt-mini, a run of either, or a BERT/GPT-2 folder), "
                "mean-pooled, and a linear layer, all trained on N labelled sentences of a task (topic, tense, or "
                "your TSV of text<TAB>label); init=scratch trains the same architecture from random weights. "
                "`mlsp finetune bert-mini --task topic --labels 50 --out RUN`, or `mlsp train finetune --set "
                "base=gpt-mini --set task=tense`.",
    loader="engine.loaders.finetune:load_finetune",
    config="engine.tasks.finetune_config:FinetuneConfig",
    task="engine.tasks.finetune_task:FinetuneTask",
))
