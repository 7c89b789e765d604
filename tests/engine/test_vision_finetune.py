"""Few-label fine-tuning for the Compare table: the supervised ViT's weights fine-tune to a better
digit classifier than random init at 10 labels per class; the model handed in is left unchanged;
the table's record and its JSON."""
import numpy as np
import pytest
import torch

from engine.errors import ConfigError
from engine.probes.vision_finetune import finetune_compare, finetune_score, labelled_tensors
from engine.records.comparison import FINE_TUNE, FineTuneSettings
from tests.engine.vision_tiny import tiny_model


@pytest.fixture(scope="module")
def digits32():
    return labelled_tensors("builtin:digits", "train", 32), labelled_tensors("builtin:digits", "test", 32)


def test_supervised_weights_beat_random_init_at_ten_labels(digits32):
    from engine.loaders.vision import random_init
    from engine.zoo import load_model, resolve

    torch.set_num_threads(1)
    train, test = digits32
    vit = load_model("vit", "cpu")
    config = {k: v for k, v in vit.meta["config"].items()}
    random = random_init("vit", config, resolve("vit"), torch.device("cpu"), 0)
    before = {k: v.clone() for k, v in vit.net.state_dict().items()}
    settings = FineTuneSettings(steps=20)
    tuned = finetune_score(vit, train, test, 10, 0, settings)
    base = finetune_score(random, train, test, 10, 0, settings)
    assert tuned.train_items == 100 and tuned.test_items == 360 and tuned.steps == 20
    assert tuned.accuracy > 0.9 and tuned.accuracy > base.accuracy + 0.05, (tuned, base)
    assert all(torch.equal(before[k], v) for k, v in vit.net.state_dict().items())       # a copy was tuned


def test_the_table_record_and_its_json(digits32):
    models = [("a", tiny_model("vit", seed=0)), ("b", tiny_model("vit-mae", seed=1))]
    table = finetune_compare(models, "builtin:digits", labels=(1, 2), seeds=(0, 1), settings=FineTuneSettings(steps=2))
    assert table.method == FINE_TUNE and table.accuracy.shape == (2, 2, 2)
    assert np.all((table.accuracy >= 0) & (table.accuracy <= 1))
    js = table.to_json()
    assert js["method"] == "fine-tune" and js["labels"] == [1, 2] and js["settings"]["steps"] == 2
    assert js["models"]["b"]["2"]["mean"] == pytest.approx(table.accuracy[1, 1].mean())


def test_bad_settings_are_refused(digits32):
    train, test = digits32
    with pytest.raises(ConfigError, match="at least 1 step"):
        finetune_score(tiny_model("vit"), train, test, 1, 0, FineTuneSettings(steps=0))
