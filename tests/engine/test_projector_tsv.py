"""TensorBoard-projector TSV: exact round trip, the header rule, files written by hand, clear errors."""
import numpy as np
import pytest

from engine.data.projector_tsv import (
    read_metadata_tsv,
    read_projector,
    read_vectors_tsv,
    write_metadata_tsv,
    write_projector,
    write_table_tsv,
)
from engine.errors import InputError
from engine.records.embeddings import Embeddings


def test_round_trip_is_exact_with_columns(tmp_path):
    rng = np.random.default_rng(0)
    vectors = (rng.standard_normal((50, 7)) * 10 ** rng.uniform(-6, 6, (50, 7))).astype(np.float32)
    words = [f"w{i}" for i in range(50)]
    counts = [str(i * 3) for i in range(50)]
    emb = Embeddings(labels=words, vectors=vectors, kind="word", metadata={"word": words, "count": counts})
    write_projector(emb, tmp_path / "vectors.tsv", tmp_path / "metadata.tsv")
    back = read_projector(tmp_path / "vectors.tsv", tmp_path / "metadata.tsv")
    np.testing.assert_array_equal(back.vectors, vectors)                 # 9 significant digits: float32 exact
    assert back.labels == words and back.metadata == emb.metadata
    lines = (tmp_path / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "word\tcount" and len(lines) == 51               # several columns: a header row


def test_single_column_has_no_header(tmp_path):
    emb = Embeddings(labels=["the cat", "a dog", "tab\there"], vectors=np.eye(3, dtype=np.float32))
    write_projector(emb, tmp_path / "v.tsv", tmp_path / "m.tsv")
    assert (tmp_path / "m.tsv").read_text(encoding="utf-8") == "the cat\na dog\ntab here\n"
    back = read_projector(tmp_path / "v.tsv", tmp_path / "m.tsv")
    assert back.labels == ["the cat", "a dog", "tab here"] and back.metadata == {}


def test_labels_are_added_as_first_column_when_no_column_holds_them(tmp_path):
    write_metadata_tsv(tmp_path / "m.tsv", ["a", "b"], {"colour": ["red", "blue"]})
    assert (tmp_path / "m.tsv").read_text(encoding="utf-8") == "label\tcolour\na\tred\nb\tblue\n"
    labels, cols = read_metadata_tsv(tmp_path / "m.tsv", 2)
    assert labels == ["a", "b"] and cols == {"label": ["a", "b"], "colour": ["red", "blue"]}


def test_reads_a_hand_written_tensorboard_pair(tmp_path):
    (tmp_path / "vectors.tsv").write_text("0.1\t0.2\r\n-1e-3\t4\r\n\r\n", encoding="utf-8")
    (tmp_path / "metadata.tsv").write_text("\ufeffName\tGroup\nalpha\tx\nbeta\ty\n", encoding="utf-8")
    emb = read_projector(tmp_path / "vectors.tsv", tmp_path / "metadata.tsv")
    np.testing.assert_array_equal(emb.vectors, np.array([[0.1, 0.2], [-1e-3, 4]], np.float32))
    assert emb.labels == ["alpha", "beta"] and emb.metadata["Group"] == ["x", "y"]
    assert read_projector(tmp_path / "vectors.tsv").labels == ["0", "1"]


def test_errors_name_the_file_and_line(tmp_path):
    p = tmp_path / "v.tsv"
    p.write_text("1\t2\n3\tcat\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: 'cat' is not a number"):
        read_vectors_tsv(p)
    p.write_text("1\t2\n3\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2 has 1 values where line 1 has 2"):
        read_vectors_tsv(p)
    p.write_text("1\t2\nnan\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2 has a NaN"):
        read_vectors_tsv(p)
    m = tmp_path / "m.tsv"
    m.write_text("word\tcount\na\t1\nb\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="2 rows for 3 vectors.*header"):
        read_metadata_tsv(m, 3)
    m.write_text("word\tcount\na\t1\t9\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2 has 3 fields"):
        read_metadata_tsv(m)
    (tmp_path / "bin.tsv").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputError, match="not UTF-8"):
        read_vectors_tsv(tmp_path / "bin.tsv")
    with pytest.raises(InputError, match="does not exist"):
        read_vectors_tsv(tmp_path / "missing.tsv")


def test_table_has_a_header_and_numbers(tmp_path):
    write_table_tsv(tmp_path / "t.tsv", {"label": ["a", "b"], "x": np.array([0.5, 1.25]), "n": [1, 2]})
    assert (tmp_path / "t.tsv").read_text(encoding="utf-8") == "label\tx\tn\na\t0.5\t1\nb\t1.25\t2\n"
