"""Text inputs from real files: encodings, binary and empty files refused, items, file errors."""
from __future__ import annotations

import os

import pytest

from engine.data import detect_kind, inspect, load_input, read_text, text_from_string, text_items
from engine.data.text import numbered_items
from engine.errors import InputError
from engine.records.inputs import TextInput

SAMPLE = "Attention is all you need.\nLe café naïve — «déjà vu»\n\nÆøå and ßtraße\n"


@pytest.mark.parametrize("codec, bom, label", [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8 BOM"),
    ("utf-16-le", b"\xff\xfe", "UTF-16 LE"),
    ("utf-16-be", b"\xfe\xff", "UTF-16 BE"),
    ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 LE"),
    ("utf-16-le", b"", "UTF-16 LE (no BOM)"),
    ("latin-1", b"", "Latin-1"),
])
def test_encodings_decode_to_the_original_text(tmp_path, codec, bom, label):
    path = tmp_path / f"sample-{codec}.txt"
    text = SAMPLE if codec != "latin-1" else SAMPLE.replace("—", "-").replace("«", '"').replace("»", '"')
    path.write_bytes(bom + text.encode(codec))
    loaded = read_text(path)
    assert loaded.text == text
    assert loaded.encoding == label
    assert loaded.n_lines == 4 and loaded.n_chars == len(text)
    info = inspect(path)
    assert info.kind == "text" and info.size_bytes == path.stat().st_size
    assert info.summary.endswith(f", 4 lines, {label}")


def test_windows_1252_curly_quotes_are_not_control_characters(tmp_path):
    path = tmp_path / "quotes.txt"
    text = "\u201cQuoted\u201d \u2013 it\u2019s fine\n"
    path.write_bytes(text.encode("cp1252"))
    loaded = read_text(path)
    assert loaded.text == text and loaded.encoding == "Windows-1252"


def test_line_ends_are_normalised_and_counted_alike_by_inspect(tmp_path):
    for name, raw in (("crlf.txt", b"one\r\ntwo\r\nthree"), ("cr.txt", b"one\rtwo\rthree\r")):
        path = tmp_path / name
        path.write_bytes(raw)
        loaded = read_text(path)
        assert loaded.text.rstrip("\n") == "one\ntwo\nthree"
        assert loaded.n_lines == 3
        assert ", 3 lines," in inspect(path).summary


def test_binary_with_nul_bytes_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "weights.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match=r"weights\.txt looks like a binary file.*NUL bytes"):
        read_text(path)
    with pytest.raises(InputError, match="NUL bytes"):
        inspect(path)


def test_binary_without_nul_is_refused_by_control_characters(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 65, 66]) * 100)
    with pytest.raises(InputError, match=r"blob\.txt.*binary.*control characters"):
        read_text(path)


def test_unknown_binary_without_extension_has_no_kind(tmp_path):
    path = tmp_path / "blob"
    path.write_bytes(b"\x00\x01\x02\xfe" * 64)
    with pytest.raises(InputError, match=r"cannot tell what kind of file .*blob"):
        detect_kind(path)


def test_text_without_extension_is_detected_as_text(tmp_path):
    path = tmp_path / "README"
    path.write_text("plain words\n", encoding="utf-8")
    assert detect_kind(path) == "text"
    assert isinstance(load_input(path), TextInput)


def test_empty_and_blank_files_are_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt is empty \(0 bytes\)"):
        read_text(empty)
    with pytest.raises(InputError, match="empty"):
        load_input(empty)
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"blank\.txt holds only blank space"):
        read_text(blank)


def test_too_large_text_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.txt is 5\.0 kB, over the 1\.0 kB limit"):
        read_text(path, max_bytes=1000)


def test_items_are_non_blank_lines_or_the_whole_text(tmp_path):
    path = tmp_path / "items.txt"
    path.write_text("  first line \n\n\nsecond\r\nthird\n   \n", encoding="utf-8")
    assert text_items(path) == ["first line", "second", "third"]
    assert text_items(str(path), whole=True) == ["first line \n\n\nsecond\nthird"]
    assert text_items("just a sentence") == ["just a sentence"]
    assert text_items("a\nb\n") == ["a", "b"]
    assert numbered_items("a\n\nb") == [(1, "a"), (3, "b")]


def test_text_from_string():
    item = text_from_string("one\r\ntwo", "pasted 1")
    assert (item.path, item.name, item.text, item.n_lines) == (None, "pasted 1", "one\ntwo", 2)
    with pytest.raises(InputError, match="pasted 2"):
        text_from_string("   ", "pasted 2")


def test_missing_folder_and_deleted_files_name_the_file(tmp_path):
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError, match=r"nowhere\.txt does not exist"):
        load_input(missing)
    with pytest.raises(InputError, match="is a folder"):
        load_input(tmp_path)
    listed = tmp_path / "listed.txt"
    listed.write_text("here now\n", encoding="utf-8")
    assert inspect(listed).kind == "text"          # listed...
    listed.unlink()                                # ...then deleted before opening
    with pytest.raises(InputError, match=r"listed\.txt does not exist"):
        load_input(listed)


def _read_as_unprivileged_user(path) -> str:
    """Run read_text in a forked child that dropped root, so file permissions really apply."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            os.setgid(65534)
            os.setuid(65534)
        except OSError:
            os.write(w, b"SKIP: cannot drop root here")
            os._exit(0)
        try:
            read_text(path)
            message = "no error"
        except InputError as exc:
            message = str(exc)
        except BaseException as exc:  # report anything else to the parent, never raise in the child
            message = f"{type(exc).__name__}: {exc}"
        os.write(w, message.encode("utf-8"))
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        message = f.read().decode("utf-8")
    os.waitpid(pid, 0)
    return message


def test_unreadable_file_is_refused_naming_it(tmp_path_factory):
    import tempfile

    folder = tempfile.mkdtemp(prefix="mlsp-perm-")
    try:
        os.chmod(folder, 0o755)                       # others may enter the folder...
        path = os.path.join(folder, "secret.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("not for you\n")
        os.chmod(path, 0o000)                         # ...but not read the file
        if os.geteuid() == 0:
            message = _read_as_unprivileged_user(path)
            if message.startswith("SKIP"):
                pytest.skip("this container does not allow dropping root, so permissions cannot be tested")
        else:
            with pytest.raises(InputError) as info:
                read_text(path)
            message = str(info.value)
        assert "permission denied" in message and "secret.txt" in message
    finally:
        os.chmod(path, 0o600)
        os.remove(path)
        os.rmdir(folder)
