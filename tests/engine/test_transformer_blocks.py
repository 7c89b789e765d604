"""The project's transformer blocks against torch's own nn.TransformerEncoderLayer/DecoderLayer,
the fused and recorded attention paths against each other, and the hook recorder's clean-up."""
import pytest
import torch
from torch import nn

from engine.errors import ConfigError
from engine.models.hooks import hook_points, record
from engine.models.transformer import BlockConfig, MultiHeadAttention, TransformerBlock, TransformerStack, padding_mask
from engine.records.attention import CAUSAL_SELF, CROSS, ENCODER_SELF

D, H, FF = 32, 4, 64


@pytest.fixture(autouse=True)
def _no_torch_fastpath():
    """torch's encoder fast path returns nested tensors (zeros at pads); compare with its plain path."""
    before = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    yield
    torch.backends.mha.set_fastpath_enabled(before)


def _copy_mha(ours: MultiHeadAttention, theirs: nn.MultiheadAttention) -> None:
    q, k, v = theirs.in_proj_weight.chunk(3)
    bq, bk, bv = theirs.in_proj_bias.chunk(3)
    for lin, w, b in ((ours.q_proj, q, bq), (ours.k_proj, k, bk), (ours.v_proj, v, bv),
                      (ours.out_proj, theirs.out_proj.weight, theirs.out_proj.bias)):
        lin.weight.copy_(w)
        lin.bias.copy_(b)


def _copy_linear_norm(dst, src) -> None:
    dst.weight.copy_(src.weight)
    dst.bias.copy_(src.bias)


def _random_(module: nn.Module) -> nn.Module:
    torch.manual_seed(1)
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0, 0.3)
    return module.eval()


def _inputs(b=2, t=7, s=None):
    torch.manual_seed(2)
    x = torch.randn(b, t, D)
    keep = torch.ones(b, s or t, dtype=torch.bool)
    keep[1, -3:] = False                      # the second sequence has 3 padding positions
    return x, keep


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_encoder_block_equals_torch_encoder_layer(norm_first, act):
    theirs = _random_(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=act, batch_first=True,
                                                 norm_first=norm_first))
    ours = TransformerBlock(BlockConfig(D, H, FF, activation=act, norm_first=norm_first), kind=ENCODER_SELF).eval()
    with torch.no_grad():
        _copy_mha(ours.attn, theirs.self_attn)
        _copy_linear_norm(ours.ffn.fc1, theirs.linear1)
        _copy_linear_norm(ours.ffn.fc2, theirs.linear2)
        _copy_linear_norm(ours.norm1, theirs.norm1)
        _copy_linear_norm(ours.norm2, theirs.norm2)
    x, keep = _inputs()
    with torch.no_grad():
        expected = theirs(x, src_key_padding_mask=~keep)
        got = ours(x, mask=padding_mask(keep))
    assert torch.allclose(got, expected, atol=1e-5), (got - expected).abs().max()


def test_decoder_block_equals_torch_decoder_layer():
    """Causal self-attention, then cross-attention over a padded memory, pre-LN, GELU."""
    theirs = _random_(nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, activation="gelu", batch_first=True,
                                                 norm_first=True))
    ours = TransformerBlock(BlockConfig(D, H, FF, activation="gelu", norm_first=True), kind=CAUSAL_SELF,
                            cross=True).eval()
    with torch.no_grad():
        _copy_mha(ours.attn, theirs.self_attn)
        _copy_mha(ours.cross_attn, theirs.multihead_attn)
        _copy_linear_norm(ours.ffn.fc1, theirs.linear1)
        _copy_linear_norm(ours.ffn.fc2, theirs.linear2)
        for a, b in ((ours.norm1, theirs.norm1), (ours.norm_cross, theirs.norm2), (ours.norm2, theirs.norm3)):
            _copy_linear_norm(a, b)
    x, _ = _inputs(t=6)
    memory, mem_keep = _inputs(t=9)
    causal = nn.Transformer.generate_square_subsequent_mask(6)
    with torch.no_grad():
        expected = theirs(x, memory, tgt_mask=causal, tgt_is_causal=True, memory_key_padding_mask=~mem_keep)
        got = ours(x, memory=memory, memory_mask=padding_mask(mem_keep))
    assert torch.allclose(got, expected, atol=1e-5), (got - expected).abs().max()


def _stack(kind: str, cross: bool = False, norm_first: bool = False) -> TransformerStack:
    cfg = BlockConfig(D, H, FF, activation="gelu", norm_first=norm_first)
    return _random_(TransformerStack(cfg, 3, kind=kind, cross=cross, final_norm=norm_first))


@pytest.mark.parametrize("kind,cross", [(ENCODER_SELF, False), (CAUSAL_SELF, False), (CAUSAL_SELF, True)])
@pytest.mark.parametrize("padded", [False, True])
def test_fused_and_recorded_paths_agree(kind, cross, padded):
    stack = _stack(kind, cross, norm_first=cross)
    x, keep = _inputs()
    memory, mem_keep = _inputs(t=5)
    mask = padding_mask(keep) if padded else None
    mem_mask = padding_mask(mem_keep) if padded else None
    with torch.no_grad():
        fused = stack(x, mask, memory if cross else None, mem_mask, output_hidden_states=True)
        with record(stack, "*") as rec:
            eager = stack(x, mask, memory if cross else None, mem_mask, output_hidden_states=True)
    for a, b in zip(fused.hidden_states, eager.hidden_states):
        assert torch.allclose(a, b, atol=1e-5), (a - b).abs().max()
    w = rec["blocks.1.attn.hook_weights"]                                    # (B, H, T, T)
    assert w.shape == (2, H, 7, 7)
    assert torch.allclose(w.sum(-1), torch.ones(2, H, 7), atol=1e-6)
    if kind == CAUSAL_SELF:
        assert torch.all(w.triu(1) == 0)
    if padded:
        assert torch.all(w[1, :, :, -3:] == 0)                              # nobody attends to padding
    if cross:
        wc = rec["blocks.2.cross_attn.hook_weights"]                        # (B, H, T, S)
        assert wc.shape == (2, H, 7, 5)
        assert torch.allclose(wc.sum(-1), torch.ones(2, H, 7), atol=1e-6)


def test_recorded_steps_recompute_the_output():
    """softmax(q kᵀ · scale + mask) v, heads concatenated, W^O: the recorded numbers give hook_out."""
    stack = _stack(CAUSAL_SELF)
    x, keep = _inputs()
    attn = stack.blocks[2].attn
    with torch.no_grad(), record(stack, "blocks.2.attn.*") as rec:
        stack(x, padding_mask(keep))
    q, k, v = rec["blocks.2.attn.hook_q"], rec["blocks.2.attn.hook_k"], rec["blocks.2.attn.hook_v"]
    scores = q @ k.transpose(-1, -2)
    assert torch.allclose(scores, rec["blocks.2.attn.hook_scores"], atol=1e-6)
    allowed = rec["blocks.2.attn.hook_mask"]                                 # (B, 1, T, S) bool
    assert allowed.dtype == torch.bool and not allowed[1, 0, 0, -1] and not allowed[0, 0, 0, 1]
    weights = torch.softmax((scores * attn.scale).masked_fill(~allowed, float("-inf")), -1)
    assert torch.allclose(weights, rec["blocks.2.attn.hook_weights"], atol=1e-6)
    concat = (weights @ v).transpose(1, 2).reshape(2, 7, D)
    assert torch.allclose(concat, rec["blocks.2.attn.hook_concat"], atol=1e-6)
    out = concat @ attn.out_proj.weight.T + attn.out_proj.bias
    assert torch.allclose(out, rec["blocks.2.attn.hook_out"], atol=1e-5)


def test_recording_always_removes_its_hooks():
    stack = _stack(ENCODER_SELF)
    x, _ = _inputs()
    with pytest.raises(RuntimeError, match="boom"):
        with record(stack, "blocks.*.attn.hook_weights") as rec:
            stack(x)
            assert rec and all(hp.active for n, hp in hook_points(stack).items() if n.endswith("hook_weights"))
            raise RuntimeError("boom")
    assert not any(hp.active for hp in hook_points(stack).values())
    with pytest.raises(KeyError, match="no hook point matches"):
        with record(stack, "blocks.*.attn.hook_nothing"):
            pass


def test_bad_shapes_are_config_errors():
    with pytest.raises(ConfigError, match="multiple of n_heads"):
        BlockConfig(30, 4, 64)
    with pytest.raises(ConfigError, match="activation 'tanhh'"):
        BlockConfig(32, 4, 64, activation="tanhh")
    assert MultiHeadAttention(D, H, kind=CROSS).scale == pytest.approx((D // H) ** -0.5)
