"""The shipped vit-mae (assets/vit-mae/, float16) meets its goal on the held-out digits: at mask
ratio 0.75 its masked-patch MSE is at most half that of filling each hidden patch with the mean of
the visible pixels; and a single digit through `reconstruct` agrees."""
import pytest

from engine.zoo import get_spec

pytestmark = pytest.mark.skipif(get_spec("vit-mae").weights_path() is None, reason="no shipped vit-mae weights")


def test_shipped_mae_halves_the_mean_fill_baseline_on_held_out_digits():
    from engine.tasks.vision_data import load_tensors
    from engine.tasks.vit_mae import masked_mse
    from engine.zoo import load_model

    model = load_model("vit-mae", "cpu")
    _, test = load_tensors("builtin:digits", "test", model.image_size)
    scores = masked_mse(model.net, test.images, 0.75, seed=7)
    assert scores["val_mse_masked"] <= 0.5 * scores["val_baseline_mse_masked"]


def test_one_digit_reconstructs_better_than_the_baseline():
    from engine.data.image_sets import digit_image as digit_input
    from engine.probes.reconstruct import reconstruct
    from engine.zoo import load_model

    model = load_model("vit-mae", "cpu")
    wins = sum(reconstruct(model, digit_input(i), 0.75, seed=i).mse_masked
               < reconstruct(model, digit_input(i), 0.75, seed=i).baseline_mse_masked for i in range(20))
    assert wins >= 16


def shipped_gain_over_random_init(family: str) -> float:
    """Linear-probe accuracy at 100 labels (10 per class of the digits, mean over the three labelled
    draws, as `mlsp compare`) of the shipped pretext model minus that of the untrained plain vit."""
    import numpy as np

    from engine.devices import resolve_device
    from engine.loaders.vision import baseline_vit
    from engine.probes.compare import compare
    from engine.zoo import load_model

    model = load_model(family, "cpu")
    base = baseline_vit(model.meta["config"], resolve_device("cpu"), 0)
    table = compare([("random", base), (family, model)], labels=(10,))
    return float(np.diff(table.mean()[:, 0])[0])


@pytest.mark.parametrize("family, gain", [("simclr", 0.15), ("rotnet", 0.15), ("cluster", 0.15)])
def test_shipped_pretext_models_beat_random_init_at_100_labels(family, gain):
    if get_spec(family).weights_path() is None:
        pytest.skip(f"no shipped {family} weights")
    assert shipped_gain_over_random_init(family) >= gain
