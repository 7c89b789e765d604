"""Parallel corpora: builtin:en-fr has 100,000+ distinct pairs in fixed splits by sentence, the
lecture's example in training, a test-only bucket longer than any training sentence, one French
for each English, no English inside the French; it is cached and listed with the built-in
corpora. A user's TSV (Tatoeba / Anki layout) in UTF-8 or UTF-16, CRLF, ragged, binary or empty:
real files written here, malformed lines reported by number, bad files refused by name."""
from __future__ import annotations

import pytest

from engine.data.parallel import ParallelPair, resolve_parallel, split_of
from engine.errors import InputError

# French words that are spelled like English ones (checked by hand: names, places, and French words).
SAME_IN_BOTH = {
    "a", "animal", "arrive", "arrives", "bus", "chef", "chefs", "court", "cousins", "empire", "festival", "film",
    "films", "football", "fruit", "grand", "jungle", "lion", "lions", "long", "machines", "marathon", "me", "melon",
    "melons", "parents", "patients", "photo", "photos", "piano", "plus", "portrait", "prince", "promenade",
    "restaurant", "sandwich", "sang", "six", "son", "souvenirs", "table", "tables", "taxi", "taxis", "train",
    "trains", "trampoline", "village", "vole", "voles", "europe", "france", "portugal", "canada", "cuba", "kenya",
    "hindi", "swahili", "sandwichs", "pilote", "pilotes", "juge", "juges", "cheval", "guide", "tube",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("parallel-home")


@pytest.fixture(autouse=True)
def _private_home(home, monkeypatch):
    """The generated-pairs cache goes to a private folder, shared by this module's tests."""
    monkeypatch.setenv("MLSP_HOME", str(home))


@pytest.fixture(scope="module")
def en_fr(home):
    import os

    old = os.environ.get("MLSP_HOME")
    os.environ["MLSP_HOME"] = str(home)
    try:
        return resolve_parallel("builtin:en-fr")
    finally:
        os.environ.pop("MLSP_HOME") if old is None else os.environ.__setitem__("MLSP_HOME", old)


def test_builtin_en_fr_size_splits_and_lecture_example(en_fr):
    pairs = en_fr.train + en_fr.valid + en_fr.test
    sources = [p.source for p in pairs]
    assert len(set(sources)) == len(sources) >= 100_000
    assert ParallelPair("i am a student", "je suis étudiant") in en_fr.train
    assert ParallelPair("the queen is eating an apple", "la reine mange une pomme") in en_fr.train
    assert 0.85 < len(en_fr.train) / len(pairs) < 0.93 and len(en_fr.valid) > 4000 and len(en_fr.test) > 4000
    assert any("é" in p.target or "è" in p.target or "ç" in p.target for p in en_fr.train[:100])
    lengths = sorted(len(s.split()) for s in sources)
    assert 3 <= lengths[len(lengths) // 20] and lengths[-len(lengths) // 20] <= 15       # mostly 3-15 words


def test_splits_are_by_sentence_and_long_sentences_are_test_only(en_fr):
    assert en_fr.long_from == 16
    longest_train = en_fr.max_train_words()
    long = en_fr.long_test()
    assert longest_train < en_fr.long_from and 500 <= len(long)
    assert all(16 <= len(p.source.split()) <= 25 for p in long)
    assert all(len(p.source.split()) < 16 for p in en_fr.valid)
    lecture = {"i am a student", "the queen is eating an apple"}
    for name in ("train", "valid", "test"):
        for p in en_fr.split(name):
            if len(p.source.split()) < 16 and p.source not in lecture:
                assert split_of(p.source) == name, p
    with pytest.raises(InputError, match="train, valid or test"):
        en_fr.split("dev")


def test_one_french_for_each_english_and_no_english_in_french(en_fr):
    pairs = en_fr.train + en_fr.valid + en_fr.test
    english = {w for p in pairs for w in p.source.split()}
    french = {w for p in pairs for w in p.target.split()}
    from engine.data.corpora.lexicon import COUNTRIES, FEMALE_NAMES, MALE_NAMES

    names = set(MALE_NAMES + FEMALE_NAMES) | {c[1] for c in COUNTRIES}
    assert not (english & french) - SAME_IN_BOTH - names
    assert 300 <= len(english) <= 2000 and 500 <= len(french) <= 2500, (len(english), len(french))


def test_generation_is_deterministic_and_cached(en_fr, home):
    from engine.data import parallel
    from engine.data.corpora import en_fr as gen

    assert gen.pairs(2000, seed=4) == gen.pairs(2000, seed=4) != gen.pairs(2000, seed=5)
    cached = list((home / "corpora").glob("en-fr-*-n110000.tsv"))
    assert len(cached) == 1 and parallel.source_hash() in cached[0].name
    assert {"french.py", "french_np.py", "french_verbs.py", "templates_nmt.py", "en_fr.py"} <= set(parallel.SOURCE_FILES)
    small = parallel.builtin_parallel("en-fr-small")          # the first 20,000 pairs, in the same splits
    assert {(p.source, p.target) for p in small.train + small.valid + small.test} == set(gen.pairs(20_000, 0))
    assert set(small.train) <= set(en_fr.train) and set(small.test) <= set(en_fr.test)
    path = next((home / "corpora").glob("en-fr-*-n20000.tsv"))
    path.write_text("torn\tfile\n", encoding="utf-8")                      # a damaged cache is regenerated
    parallel.builtin_parallel.cache_clear()
    again = parallel.builtin_parallel("en-fr-small")
    assert again.train == small.train and path.read_text(encoding="utf-8").endswith("#end")


def test_listed_with_the_builtin_corpora_and_readable_as_text():
    from engine.data.corpora import list_builtin, resolve_data

    kinds = {c.name: c.kind for c in list_builtin()}
    assert kinds["en-fr"] == "parallel" and kinds["grammar"] == "text"
    text = resolve_data("builtin:en-fr-small")
    assert text.lines[:2] == ("i am a student", "je suis étudiant")
    with pytest.raises(InputError, match="builtin:en-fr"):
        resolve_data("builtin:nonsense")
    with pytest.raises(InputError, match="builtin:en-fr-small"):
        resolve_parallel("builtin:grammar")


def test_tsv_utf16_crlf_extra_columns_and_duplicates(tmp_path):
    rows = [(f"sentence number {i} is here", f"la phrase numéro {i} est là") for i in range(300)]
    body = "".join(f"{e}\t{f}\tCC-BY 2.0 (France) Attribution: tatoeba.org #{i}\r\n" for i, (e, f) in enumerate(rows))
    body += f"{rows[0][0]}\t{rows[0][1]}\r\n"                                             # an exact duplicate
    path = tmp_path / "fra.txt"
    path.write_bytes(b"\xff\xfe" + body.encode("utf-16-le"))
    corpus = resolve_parallel(path)
    got = sorted((p.source, p.target) for p in corpus.train + corpus.valid + corpus.test)
    assert got == sorted(rows)
    assert corpus.skipped_lines == () and "1 duplicate" in corpus.note
    assert all(split_of(p.source) == name for name in ("train", "valid", "test") for p in corpus.split(name))
    assert len(corpus.valid) and len(corpus.test) and len(corpus.train) > 250


def test_tsv_ragged_lines_are_reported_and_skipped(tmp_path):
    path = tmp_path / "ragged.tsv"
    lines = ["hello\tbonjour", "no tab on this line", "", "thank you\tmerci", "\tvide à gauche",
             "empty right\t  ", "good night\tbonne nuit\textra", "cat\tchat"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    corpus = resolve_parallel(str(path))
    assert corpus.skipped_lines == (2, 5, 6)
    assert "skipped 3 malformed line(s)" in corpus.note and "line 2, 5, 6" in corpus.note
    pairs = corpus.train + corpus.valid + corpus.test
    assert sorted(p.source for p in pairs) == ["cat", "good night", "hello", "thank you"]
    assert ParallelPair("good night", "bonne nuit") in pairs and corpus.valid and corpus.test


@pytest.mark.parametrize("case", ["mostly-bad", "binary", "empty", "blank", "folder", "missing"])
def test_bad_tsv_files_are_refused_by_name(tmp_path, case):
    path = tmp_path / "pairs.tsv"
    if case == "mostly-bad":
        path.write_text("one\tun\nno tab\nstill none\nnor here\n", encoding="utf-8")
        needle = r"pairs\.tsv: 3 of 4 lines are not an 'english<TAB>french' pair \(the first at line 2\)"
    elif case == "binary":
        path.write_bytes(bytes(range(256)) * 20)
        needle = r"pairs\.tsv looks like a binary file.*english<TAB>french"
    elif case == "empty":
        path.write_bytes(b"")
        needle = r"pairs\.tsv is empty"
    elif case == "blank":
        path.write_text("\n  \n\t\n", encoding="utf-8")
        needle = r"pairs\.tsv"
    elif case == "folder":
        path = tmp_path
        needle = "is a folder"
    else:
        needle = "does not exist"
    with pytest.raises(InputError, match=needle) as err:
        resolve_parallel(str(path))
    assert "\n" not in str(err.value)


def test_mlsp_data_lists_and_describes_through_the_cli(tmp_path, home):
    """`python -m engine.cli data`: the listing names builtin:en-fr; a TSV is described as JSON."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, MLSP_HOME=str(home))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "engine.cli", "data", *args], check=False, capture_output=True,
                              text=True, env=env, timeout=120)

    listing = cli("--json")
    assert listing.returncode == 0, listing.stderr
    assert {"name": "builtin:en-fr", "kind": "parallel"}.items() <= next(
        r for r in json.loads(listing.stdout) if r["name"] == "builtin:en-fr").items()
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"the cat number {i} sleeps\tle chat numéro {i} dort\n" for i in range(50))
                    + "broken line\n", encoding="utf-8")
    out = cli(str(path), "--json")
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert sum(facts["pairs"].values()) == 50 and facts["skipped_lines"] == 1
    assert facts["source_vocab"] == 4 + 50 and facts["lengths"]["train"].keys() <= {"5"}
    bad = cli("builtin:nope")
    assert bad.returncode == 2 and "builtin:en-fr" in bad.stderr and bad.stderr.count("\n") == 1
