"""`toy-mlp`: a tiny sine-denoising MLP that trains in seconds; it checks a training setup
(CPU, CUDA, `--nproc`) and backs the trainer's tests."""
from engine.zoo import register
from engine.zoo.spec import ModelSpec

register(ModelSpec(
    id="toy-mlp",
    title="Toy MLP (trainer check: denoise sine waves)",
    modality="signal",
    tasks=("train",),
    source="builtin",
    description="A 2-layer MLP that learns to denoise 32-sample windows of two sinusoids. Trains in seconds "
                "on a CPU; use it to check training on your machine: `mlsp train toy-mlp --device cuda`.",
    loader="engine.training.toy_task:load_toy",
    config="engine.training.toy_task:ToyConfig",
    task="engine.training.toy_task:ToyTask",
    default_data="builtin:sines",
))
