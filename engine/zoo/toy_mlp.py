"""`toy-mlp`: a tiny sine-denoising MLP that trains in seconds; it checks a training setup
(CPU, CUDA, `--nproc`) and backs the trainer's tests."""
from engine.contract.capabilities import Capability as C
from engine.contract.capabilities import InputKind as I
from engine.contract.capabilities import OutputKind as O
from engine.contract.registry import register
from engine.contract.spec import ModelSpec

register(ModelSpec(
    id="toy-mlp",
    title="Toy MLP (trainer check: denoise sine waves)",
    capabilities={C.TRAIN},
    inputs=(I.SIGNAL,),
    outputs=(O.SIGNAL,),
    data_kind="sines",
    source="builtin",
    description="A 2-layer MLP that learns to denoise 32-sample windows of two sinusoids. Trains in seconds "
                "on a CPU; use it to check training on your machine: `mlsp train toy-mlp --device cuda`.",
    loader="engine.loaders.toy_mlp:load_toy",
    config="engine.models.toy_mlp:ToyConfig",
    task="engine.tasks.toy_mlp:ToyTask",
    default_data="builtin:sines",
))
