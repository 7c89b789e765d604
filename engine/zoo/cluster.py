"""`cluster`: pretext: k-means pseudo-labels on the vit backbone."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="cluster",
    title="DeepCluster (pretext: k-means pseudo-labels)",
    capabilities={C.EMBED, C.ATTENTION, C.TRAIN},
    inputs=(I.IMAGE,),
    outputs=(O.VECTORS, O.ATTENTION),
    data_kind="images",
    source="builtin",
    description="The vit backbone trained to put each augmented image in the k-means cluster of its clean image "
                "(100 clusters of its own projections, the centroids as the classifier), re-clustered every epoch "
                "(DeepCluster, Caron et al. 2018, in its v2 form); no labels used.",
    loader="engine.loaders.vision:load_vision",
    config="engine.models.pretext_configs:ClusterConfig",
    task="engine.tasks.cluster:ClusterTask",
    default_data="builtin:digits",
    weights="cluster",
))
