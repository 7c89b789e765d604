"""`hf:PATH`: any local HuggingFace-format folder (BERT family, GPT-2, ...)."""
from engine.zoo import register
from engine.zoo.spec import ModelSpec

register(ModelSpec(
    id="hf",
    title="HuggingFace folder (hf:PATH)",
    modality="text",
    tasks=("embed", "attention"),
    source="folder",
    description="A local HuggingFace-format model folder given as hf:PATH (config.json + weights). "
                "Hub names are fetched only when you are online and ask for them.",
    loader="engine.pretrained.hf_text:load_hf_folder",
))
