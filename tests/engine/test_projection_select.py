"""Region and label selection: rectangle and lasso against direct geometry, label search."""
import numpy as np
import pytest

from engine.errors import InputError
from engine.projection.select import match_labels, points_in_polygon, points_in_rect


def test_rectangle_in_any_corner_order():
    xy = np.random.default_rng(0).uniform(-1, 1, (5000, 2)).astype(np.float32)
    expected = np.flatnonzero((xy[:, 0] >= -0.2) & (xy[:, 0] <= 0.5) & (xy[:, 1] >= 0.1) & (xy[:, 1] <= 0.9))
    np.testing.assert_array_equal(points_in_rect(xy, 0.5, -0.2, 0.9, 0.1), expected)


def test_lasso_circle_and_a_concave_shape():
    xy = np.random.default_rng(1).uniform(-1, 1, (20000, 2))
    theta = np.linspace(0, 2 * np.pi, 400, endpoint=False)
    circle = np.c_[np.cos(theta), np.sin(theta)] * 0.7
    inside = points_in_polygon(xy, circle)
    r = np.hypot(xy[:, 0], xy[:, 1])
    clear = np.abs(r - 0.7) > 0.01                    # away from the polygon's chords
    np.testing.assert_array_equal(np.isin(np.flatnonzero(clear), inside), r[clear] < 0.7)
    # an L shape: the notch (x > 0 and y > 0) is outside
    ell = np.array([[-1, -1], [1, -1], [1, 0], [0, 0], [0, 1], [-1, 1]], float)
    got = np.zeros(len(xy), bool)
    got[points_in_polygon(xy, ell)] = True
    np.testing.assert_array_equal(got, ~((xy[:, 0] > 0) & (xy[:, 1] > 0)))
    assert len(points_in_polygon(xy, ell[:2])) == 0


def test_label_search_substring_regex_and_errors():
    labels = ["King", "queen", "kingdom", "Paris", "parish", "a.b"]
    assert list(np.flatnonzero(match_labels(labels, "KING"))) == [0, 2]
    assert list(np.flatnonzero(match_labels(labels, "KING", case=True))) == []
    assert list(np.flatnonzero(match_labels(labels, "a.b"))) == [5]          # plain text: the dot is a dot
    assert list(np.flatnonzero(match_labels(labels, r"^par.s", regex=True))) == [3, 4]
    assert not match_labels(labels, "").any()
    with pytest.raises(InputError, match="not a valid regular expression"):
        match_labels(labels, "(unclosed", regex=True)
