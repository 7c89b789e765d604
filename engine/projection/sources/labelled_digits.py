"""Held-out digits through a vision model: the class-token vector of each of builtin:digits' test
images (or each of its patch vectors), coloured by digit — do the sevens gather? With an image
input selected, its class token joins them ("▶ your image"), like a recording among spoken words.
Any model that embeds images: vit, vit-mae, rotnet, simclr, cluster, patches, hf: ViT folders."""
from __future__ import annotations

import numpy as np

from engine.contract.capabilities import Capability
from engine.projection.sources import SourceOption, SourceRequest, SourceSpec, register
from engine.records.embeddings import Embeddings

DATA = "builtin:digits"
YOU = "▶ your image"


def _yours(model, image, columns: list[str]) -> Embeddings:
    """The class token of the input image (the mean patch for models without one), as one more point."""
    emb = model.embed_image(image)
    cls = [i for i, lab in enumerate(emb.labels) if lab == "[CLS]"]
    vector = emb.vectors[cls[0]] if cls else emb.vectors.mean(axis=0)
    values = {"digit": YOU, "image": image.name}
    return Embeddings(labels=[f"{YOU}: {image.name}"], vectors=np.asarray(vector, np.float32)[None], kind="image",
                      model=model.name, metadata={c: [values.get(c, "")] for c in columns})


def fetch(state, model, request: SourceRequest) -> Embeddings:
    from engine.probes.labelled_images import embed_image_set

    limit = int(request.options.get("limit", 200))
    patches = bool(int(request.options.get("patches", 0)))
    digits = embed_image_set(model, DATA, "test", limit, patches=patches, progress=state.progress)
    if request.image is None or patches:
        return digits
    state.progress(0.8, f"embedding {request.image.name}")
    yours = _yours(model, request.image, list(digits.metadata))
    return Embeddings(labels=digits.labels + yours.labels, vectors=np.concatenate([digits.vectors, yours.vectors]),
                      kind=digits.kind, model=digits.model,
                      metadata={k: digits.metadata[k] + yours.metadata[k] for k in digits.metadata})


register(SourceSpec(
    id="digits", title="Held-out digits (vision model)", needs=Capability.EMBED, default_model="vit",
    fetch=f"{__name__}:fetch", modality="image", order=46, follows_model=True,
    options=(SourceOption("limit", "digits", 200, 10, 360),
             SourceOption("patches", "patch vectors, not class tokens", 0, 0, 1)),
    description="builtin:digits' held-out test images through a vision model (vit, vit-mae, rotnet, simclr, cluster): "
                "one class-token vector per digit — or every patch vector — coloured by the digit, searchable as "
                "'digit 7'; the selected image input joins them as '▶ your image'."))
