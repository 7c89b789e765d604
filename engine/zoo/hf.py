"""`hf:PATH`: any local HuggingFace-format folder (BERT family, GPT-2, ...).

BERT, RoBERTa, DistilBERT, MiniLM and GPT-2 folders (config.json, model.safetensors or
pytorch_model.bin, tokenizer files; as written by `save_pretrained`) run on the project's own
transformer blocks, so the attention probe records every step; GPT-2-format folders are causal
and can generate (`mlsp attention hf:PATH "prompt" --generate 10`). Other architectures run
through `transformers` with output_attentions=True (weights, no steps). MarianMT folders (opus-mt)
translate on the project's blocks (engine/pretrained/marian.py); ViT and ViT-MAE folders are vision
models; wav2vec 2.0 and HuBERT folders are audio models (engine/pretrained/hf_audio.py): frame
embeddings and attention over frames."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="hf",
    title="HuggingFace folder (hf:PATH)",
    capabilities={C.EMBED, C.ATTENTION, C.TOKEN_STATES},
    inputs=(I.TEXT, I.TEXT_PAIR),
    outputs=(O.VECTORS, O.ATTENTION),
    refine="engine.pretrained.folder_kind:declared",
    source="folder",
    description="A local HuggingFace-format model folder given as hf:PATH (config.json + weights + tokenizer). "
                "BERT, RoBERTa, DistilBERT, MiniLM and GPT-2 run on the project's blocks (every attention step "
                "recorded; GPT-2 can generate); MarianMT folders translate; ViT and ViT-MAE folders embed images; "
                "wav2vec 2.0 and HuBERT folders embed audio frames and give their attention over frames; other "
                "architectures through transformers.",
    loader="engine.loaders.hf_folder:load_hf_any",
))
