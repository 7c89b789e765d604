"""hf:PATH ViT and ViT-MAE folders (tiny random configurations built here) run on the project's
ViT and MAE and equal `transformers` within 1e-5: hidden states, logits, attention weights, MAE
predictions and masks for the same noise; the folder declares what it can do."""
import numpy as np
import pytest
import torch
import transformers

from engine.probes.attention import attention
from engine.records.inputs import ImageInput
from engine.zoo import load_model, resolve

transformers.logging.set_verbosity_error()
TINY = dict(image_size=32, patch_size=4, num_channels=3, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
            intermediate_size=32, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("hfvision")
    torch.manual_seed(0)
    vit = transformers.ViTForImageClassification(transformers.ViTConfig(**TINY, num_labels=3)).eval()
    vit.save_pretrained(root / "vit")
    vit = transformers.ViTForImageClassification.from_pretrained(root / "vit", attn_implementation="eager").eval()
    mae = transformers.ViTMAEForPreTraining(transformers.ViTMAEConfig(
        **TINY, decoder_hidden_size=16, decoder_num_hidden_layers=1, decoder_num_attention_heads=2,
        decoder_intermediate_size=32, mask_ratio=0.75)).eval()
    mae.save_pretrained(root / "mae")
    return root, vit, mae


def _image():
    pixels = (np.random.RandomState(1).rand(32, 32, 3) * 255).astype(np.uint8)
    return ImageInput(None, "x.png", pixels, 32, 32, "RGB", "")


def test_vit_folder_equals_transformers(folders):
    root, vit, _ = folders
    ref = resolve(f"hf:{root / 'vit'}")
    assert {c.value for c in ref.capabilities} == {"embed", "attention", "classify"} and ref.inputs[0].value == "image"
    model = load_model(ref, "cpu")
    img = _image()
    x = model._tensor(model.input_pixels(img))
    with torch.no_grad():
        hf = vit(pixel_values=(torch.from_numpy(img.pixels).permute(2, 0, 1)[None].float() / 255 - 0.5) / 0.5,
                 output_hidden_states=True, output_attentions=True)
        ours = model.backbone.encode(x).last_hidden_state
        assert torch.allclose(ours, vit.vit.layernorm(hf.hidden_states[-1]), atol=1e-5)
        assert torch.allclose(model.net(x), hf.logits, atol=1e-5)
    maps = attention(model, img)
    want = torch.stack(hf.attentions)[:, 0].numpy()
    np.testing.assert_allclose(maps.stacks[0].weights, want, atol=1e-5)
    probs = model.classify_image(img)
    assert probs.labels[0] == vit.config.id2label[int(hf.logits.argmax())]


def test_vit_mae_folder_equals_transformers(folders):
    root, _, mae = folders
    ref = resolve(f"hf:{root / 'mae'}")
    assert ref.can("reconstruct")
    model = load_model(ref, "cpu")
    x = torch.rand(2, 3, 32, 32)
    noise = torch.rand(2, 64)
    with torch.no_grad():
        hf = mae(pixel_values=x, noise=noise)
        ours = model.net(x, noise=noise)
    assert torch.equal(ours.mask, hf.mask)
    assert torch.allclose(ours.pred, hf.logits, atol=1e-5)
    assert torch.allclose(model.net.loss(x, ours), hf.loss, atol=1e-5)
