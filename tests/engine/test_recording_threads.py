"""Two probes on one shared model from two threads get the same records as one after the other:
a recording holds its network's lock, and hooks save only their own thread's tensors."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from engine.probes.attention import attention
from engine.zoo import load_model

A = "The animal didn't cross the street because it was too tired."
B = "Thinking machines attend to every word of a long sentence, one head at a time."


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm", "cpu")


def _probe_a(model):
    return attention(model, A, step=(2, 5))


def _probe_b(model):
    return attention(model, B, pair="it was tired")


def _same(x, y) -> None:
    assert x.tokens == y.tokens and len(x.stacks) == len(y.stacks)
    np.testing.assert_allclose(x.weights, y.weights, rtol=1e-5, atol=1e-6)
    if x.step is not None:
        np.testing.assert_allclose(x.step.q, y.step.q, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(x.step.weights, y.step.weights, rtol=1e-5, atol=1e-6)


def test_two_probes_from_two_threads_equal_the_sequential_records(minilm):
    expected_a, expected_b = _probe_a(minilm), _probe_b(minilm)
    got: dict[str, list] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def loop(key, probe):
        try:
            for _ in range(6):
                got[key].append(probe(minilm))
        except BaseException as exc:          # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=("a", _probe_a)), threading.Thread(target=loop, args=("b", _probe_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(got["a"]) == len(got["b"]) == 6
    for rec in got["a"]:
        _same(rec, expected_a)
        assert rec.step.layer == 2 and rec.step.head == 5
    for rec in got["b"]:
        _same(rec, expected_b)
        assert rec.step is None and rec.segments_q is not None
