"""vit and vit-mae on the project's blocks: patches, random masking, the MAE loss on hidden patches
only, the reconstruction probe against a hand computation, and what each entry declares."""
import numpy as np
import pytest
import torch

from engine.contract.protocols import missing_protocols
from engine.models.vit import ViT, ViTConfig, patchify, unpatchify
from engine.models.vit_mae import MAE, MAEConfig, MAEOutput, noise_for_mask, random_masking
from engine.probes.reconstruct import random_mask, reconstruct
from tests.engine.vision_tiny import image, tiny_model

SMALL = dict(d_model=16, n_layers=1, n_heads=2, d_ff=32)


def test_patchify_is_row_major_and_inverts():
    x = torch.arange(2 * 3 * 8 * 8, dtype=torch.float32).reshape(2, 3, 8, 8)
    p = patchify(x, 4)
    assert p.shape == (2, 4, 48)
    # patch 1 is the top-right 4 × 4 block; its first value is pixel (0, 4) of channel 0
    assert p[0, 1, 0] == x[0, 0, 0, 4] and p[0, 1, 1] == x[0, 1, 0, 4]
    assert torch.equal(unpatchify(p, 4), x)


def test_vit_shapes_and_patch_embedding_is_a_per_patch_linear_map():
    torch.manual_seed(0)
    vit = ViT(ViTConfig(n_classes=5, **SMALL))
    x = torch.rand(3, 3, 32, 32)
    assert vit(x).shape == (3, 5)
    assert vit.encode(x).last_hidden_state.shape == (3, 65, 16)
    w = vit.patch_embed.projection.weight                      # (D, C, p, p)
    manual = patchify(x, 4) @ w.permute(0, 2, 3, 1).reshape(16, -1).T + vit.patch_embed.projection.bias
    assert torch.allclose(vit.patch_embed(x), manual, atol=1e-5)


def test_the_mlp_head_has_head_depth_hidden_layers_and_depth_one_keeps_the_shipped_layout():
    from engine.errors import ConfigError

    one = ViT(ViTConfig(n_classes=4, head_hidden=8, **SMALL)).head
    assert [type(m).__name__ for m in one] == ["Linear", "BatchNorm1d", "GELU", "Linear"]
    two = ViT(ViTConfig(n_classes=4, head_hidden=8, head_depth=2, **SMALL)).head
    shapes = [tuple(m.weight.shape) for m in two if isinstance(m, torch.nn.Linear)]
    assert shapes == [(8, 16), (8, 8), (4, 8)]
    with pytest.raises(ConfigError, match="head_depth"):
        ViTConfig(head_depth=0)


def test_random_masking_keeps_the_lowest_noise_and_restores_order():
    x = torch.arange(8, dtype=torch.float32)[None, :, None].repeat(2, 1, 3)
    noise = torch.tensor([[0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]])
    visible, mask, ids_restore = random_masking(x, 0.75, noise)
    assert visible.shape == (2, 2, 3)
    assert visible[0, :, 0].tolist() == [1.0, 3.0] and visible[1, :, 0].tolist() == [0.0, 1.0]
    assert mask[0].tolist() == [1, 0, 1, 0, 1, 1, 1, 1]
    shuffled = torch.gather(x[:, :, 0], 1, torch.argsort(noise, 1))
    assert torch.equal(torch.gather(shuffled, 1, ids_restore), x[:, :, 0])


def test_a_given_mask_comes_back_exactly():
    hidden = torch.zeros(2, 16, dtype=torch.bool)
    hidden[0, [0, 3, 5, 15]] = True
    hidden[1, [1, 2, 8, 9]] = True
    _, mask, _ = random_masking(torch.zeros(2, 16, 4), 4 / 16, noise_for_mask(hidden))
    assert torch.equal(mask.bool(), hidden)


def test_mae_loss_counts_only_hidden_patches():
    torch.manual_seed(0)
    net = MAE(MAEConfig(**SMALL, dec_d_model=16, dec_d_ff=16, dec_heads=2))
    x = torch.rand(2, 3, 32, 32)
    out = net(x)
    assert out.pred.shape == (2, 64, 48) and out.mask.sum(1).tolist() == [48.0, 48.0]
    base = net.loss(x, out)
    target = patchify(x, 4)
    visible = (out.mask == 0)[:, :, None]
    changed_visible = MAEOutput(out.pred.detach() + visible * 5.0, out.mask, out.ids_restore)
    assert torch.allclose(net.loss(x, changed_visible), base.detach(), atol=1e-6)
    perfect = MAEOutput(torch.where(visible, out.pred.detach(), target), out.mask, out.ids_restore)
    assert float(net.loss(x, perfect)) < 1e-10
    manual = (((out.pred - target) ** 2).mean(-1) * out.mask).sum() / out.mask.sum()
    assert torch.allclose(base, manual)


def test_norm_pix_loss_normalises_each_target_patch():
    net = MAE(MAEConfig(**SMALL, dec_d_model=16, dec_d_ff=16, dec_heads=2, norm_pix_loss=True))
    t = net.target(torch.rand(2, 3, 32, 32))
    assert torch.allclose(t.mean(-1), torch.zeros(2, 64), atol=1e-5)
    assert torch.allclose(t.var(-1), torch.ones(2, 64), atol=1e-3)


def test_random_mask_hides_the_ratio_and_depends_on_the_seed():
    a, b = random_mask(8, 0.75, 0), random_mask(8, 0.75, 1)
    assert a.sum() == 48 and b.sum() == 48 and not np.array_equal(a, b)
    assert np.array_equal(a, random_mask(8, 0.75, 0))
    assert random_mask(8, 0.999, 0).sum() == 63 and random_mask(8, 0.001, 0).sum() == 1


def test_reconstruction_record_against_a_hand_computation():
    model = tiny_model("vit-mae")
    rec = reconstruct(model, image(), mask_ratio=0.75, seed=3)
    hidden = np.kron(rec.mask, np.ones((4, 4))).astype(bool)
    assert rec.mask.sum() == 48 and rec.mask.shape == (8, 8)
    mean_visible = rec.original[~hidden].mean(axis=0)
    baseline = ((rec.original - mean_visible) ** 2).mean(axis=2)[hidden].mean()
    assert rec.baseline_mse_masked == pytest.approx(baseline, rel=1e-5)
    assert rec.mse_masked == pytest.approx(((rec.reconstruction - rec.original) ** 2).mean(axis=2)[hidden].mean(), rel=1e-5)
    assert np.array_equal(rec.pasted[~hidden], rec.original[~hidden])
    assert np.array_equal(rec.pasted[hidden], rec.reconstruction[hidden])
    js = rec.to_json()
    assert set(js) == {"mse_masked", "baseline_mse_masked", "mask"} and np.array(js["mask"]).sum() == 48
    # the visible patches decide the reconstruction; the hidden pixels do not leak into it
    other = image(seed=9)
    mixed = np.where(hidden[..., None], other.pixels, image().pixels).astype(np.uint8)
    from dataclasses import replace
    rec2 = reconstruct(model, replace(image(), pixels=mixed), mask=rec.mask)
    assert np.allclose(rec2.reconstruction, rec.reconstruction, atol=1e-6)


@pytest.mark.parametrize("family", ["vit", "vit-mae", "rotnet", "simclr", "cluster"])
def test_every_vision_entry_implements_what_it_declares(family):
    from engine.zoo import get_spec

    model = tiny_model(family)
    assert missing_protocols(model) == []
    assert model.capabilities == get_spec(family).capabilities


def test_embed_and_attention_give_patches_with_a_grid():
    from engine.probes.attention import attention
    from engine.probes.embed import embed_media

    model = tiny_model("vit")
    emb = embed_media(model, image(20, 50))
    assert emb.vectors.shape == (65, 16) and emb.labels[:2] == ["[CLS]", "r0 c0"]
    maps = attention(model, image())
    weights = maps.stack("encoder").weights
    assert weights.shape == (1, 2, 65, 65)
    assert np.allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert maps.sequence("tokens").grid == (8, 8) and maps.sequence("tokens").grid_offset == 1
