"""Attention summaries against references written out independently (loops, closed forms)."""
import math

import numpy as np
import pytest
from attention_fixtures import encoder_decoder_record, mha_record

from engine.errors import InputError
from engine.probes.attention_summary import (
    check_step,
    head_distance,
    head_entropy,
    notable_heads,
    rollout,
    special_share,
    summarize,
)
from engine.records.attention import ENCODER_SELF, AttentionMaps, AttentionStack


def previous_token(t: int) -> np.ndarray:
    """P[i, i-1] = 1; the first token can only attend to itself."""
    p = np.zeros((t, t))
    p[0, 0] = 1.0
    p[np.arange(1, t), np.arange(t - 1)] = 1.0
    return p


def maps_of(weights: np.ndarray, tokens: list[str]) -> AttentionMaps:
    return AttentionMaps(model="test", stacks=[AttentionStack(ENCODER_SELF, tokens, tokens, weights.astype(np.float32))])


def test_previous_token_head_has_zero_entropy_and_distance_one():
    t = 7
    w = previous_token(t)[None, None]
    assert head_entropy(w)[0, 0] == pytest.approx(0.0, abs=1e-12)
    distance, offset = head_distance(w)
    # every query but the first looks exactly one token back; the first can only look at itself
    assert distance[0, 0] == pytest.approx((t - 1) / t)
    assert offset[0, 0] == pytest.approx(-(t - 1) / t)


def test_entropy_and_distance_match_loops_on_a_real_attention_record():
    rec = mha_record(["a", "b", "c", "d", "e"], layers=2, heads=3, seed=3)
    w = rec.weights.astype(np.float64)
    ent, dist = head_entropy(w), head_distance(w)[0]
    for layer in range(2):
        for head in range(3):
            rows = w[layer, head]
            ref_e = np.mean([-sum(p * math.log(p) for p in row if p > 0) for row in rows])
            ref_d = np.mean([sum(p * abs(i - j) for j, p in enumerate(row)) for i, row in enumerate(rows)])
            assert ent[layer, head] == pytest.approx(ref_e, rel=1e-9)
            assert dist[layer, head] == pytest.approx(ref_d, rel=1e-9)


def test_uniform_attention_has_the_maximum_entropy():
    s = 6
    w = np.full((1, 1, 4, s), 1.0 / s)
    assert head_entropy(w)[0, 0] == pytest.approx(math.log(s))


def test_rollout_of_two_previous_token_layers_is_the_binomial_mix():
    t = 6
    p = previous_token(t)
    w = np.stack([p[None], p[None]])                     # (L=2, H=1, T, T)
    eye = np.eye(t)
    # (0.5 I + 0.5 P)^2 = 0.25 I + 0.5 P + 0.25 P^2, rows already sum to 1
    assert np.allclose(rollout(w), 0.25 * eye + 0.5 * p + 0.25 * p @ p)


def test_rollout_matches_a_loop_and_rows_sum_to_one():
    rec = mha_record(list("abcdef"), layers=3, heads=2, seed=5)
    w = rec.weights.astype(np.float64)
    ref = np.eye(6)
    for layer in range(3):
        a = 0.5 * np.eye(6) + 0.5 * w[layer].mean(0)
        a /= a.sum(1, keepdims=True)
        ref = a @ ref
    got = rollout(w)
    assert np.allclose(got, ref)
    assert np.allclose(got.sum(1), 1.0)


def test_rollout_needs_self_attention():
    with pytest.raises(InputError, match="self-attention"):
        rollout(np.ones((1, 1, 3, 4)) / 4)


def test_special_share_and_notable_heads():
    tokens = ["[CLS]", "the", "cat", "sat", "[SEP]"]
    t = len(tokens)
    sep = np.zeros((t, t))
    sep[:, -1] = 1.0
    w = np.stack([previous_token(t), sep, np.full((t, t), 1.0 / t)])[None]   # (1, 3, T, T)
    # previous-token: queries 0 and 1 both land on [CLS]; [SEP] head: all; uniform: 2 of t keys are special
    assert special_share(w, tokens)[0].tolist() == pytest.approx([2 / t, 1.0, 2 / t])
    found = notable_heads(summarize(maps_of(w, tokens)))
    assert found["special tokens"] == [(0, 1)]
    assert found["previous token"] == [(0, 0)]     # offset -(T-1)/T = -0.8 is within the tolerance of -1
    assert found["focused"] == [] and found["next token"] == []


def test_summary_of_cross_attention_has_no_positions():
    rec = encoder_decoder_record(["a", "b", "c"], ["x", "y"])
    s = summarize(rec, stack=2)
    assert s.kind == "cross" and s.rollout is None and s.distance is None and s.offset is None
    assert s.entropy.shape == (2, 4)
    with pytest.raises(InputError, match="stack 3"):
        summarize(rec, stack=3)


def test_check_step_recomputes_every_stage():
    rec = mha_record(list("abcd"), layers=2, heads=2, head_dim=3, causal=True, step=(1, 1), seed=2)
    checks = check_step(rec.step)
    assert checks.worst() < 1e-9
    broken = rec.step.__class__(**{**rec.step.__dict__, "out": rec.step.out + 0.5})
    assert check_step(broken).out == pytest.approx(0.5)
