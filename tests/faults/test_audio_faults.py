"""Issue 14, failure 2 and the cut-short recording: non-finite samples are caught where audio is
read, `--json` output never holds NaN, and a WAV whose header was never finished says so."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from cli_inproc import check_contract, parse_json_output, run_cli

from engine.data.audio import read_audio
from engine.errors import InputError

RATE = 16000


def float_wav(path: Path, samples: np.ndarray) -> Path:
    sf.write(str(path), samples.astype(np.float32), RATE, subtype="FLOAT")
    return path


def tone(seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.fixture
def nan_wav(tmp_path: Path) -> Path:
    x = tone()
    x[1000:1100] = np.nan
    x[2000:2010] = np.inf
    x[3000] = -np.inf
    return float_wav(tmp_path / "nan.wav", x)


def test_non_finite_samples_become_silence_under_a_note(nan_wav: Path) -> None:
    audio = read_audio(nan_wav)
    assert np.isfinite(audio.samples).all()
    assert (audio.samples[1000:1100] == 0).all() and (audio.samples[2000:2010] == 0).all()
    assert "111 of its 8,000 samples were NaN or infinite" in audio.note and not audio.truncated


def test_all_non_finite_is_refused_naming_the_file_and_the_count(tmp_path: Path) -> None:
    path = float_wav(tmp_path / "allnan.wav", np.full(800, np.nan))
    with pytest.raises(InputError, match=r"allnan\.wav.*all 800 samples are NaN or infinite"):
        read_audio(path)
    res = run_cli(["spectrogram", str(path), "--json"])
    check_contract(res, json_mode=True)
    assert res.rc == 2 and "allnan.wav" in res.err


def test_spectrogram_json_is_strict(nan_wav: Path) -> None:
    res = run_cli(["spectrogram", str(nan_wav), "--json"])
    check_contract(res, json_mode=True)
    facts = parse_json_output(res.out)[0]
    assert res.rc == 0 and isinstance(facts["loudest"]["db"], float)
    assert "NaN or infinite" in facts["note"]


def test_embed_logmel_rows_are_finite(nan_wav: Path, tmp_path: Path) -> None:
    out = tmp_path / "vectors.tsv"
    res = run_cli(["embed", "logmel", str(nan_wav), "--out", str(out)])
    check_contract(res)
    assert res.rc == 0, res.explain()
    values = np.loadtxt(out, delimiter="\t", ndmin=2)
    assert values.size and np.isfinite(values).all()


def test_print_json_writes_null_for_non_finite(capsys) -> None:
    from engine.cli.common import print_json

    print_json({"a": float("nan"), "b": [np.float32("inf"), -np.inf], "c": np.array([1.0, np.nan])})
    assert capsys.readouterr().out.strip() == '{"a": null, "b": [null, null], "c": [1.0, null]}'


def test_recording_cut_short_loads_as_truncated(tmp_path: Path) -> None:
    """What `kill -9` leaves of a recording: the samples written so far under a header never finished."""
    from engine.data.recording import RecordingWriter

    path = tmp_path / "rec.wav"
    writer = RecordingWriter(path, RATE)
    writer.append(tone(1.0))
    writer._file.flush()
    cut = tmp_path / "cut.wav"
    shutil.copyfile(path, cut)               # the file as a killed process leaves it (header unfinished)
    writer.close()
    audio = read_audio(cut)
    assert audio.truncated and "never finished" in audio.note
    assert audio.duration == pytest.approx(1.0, abs=0.01)
    assert not read_audio(path).truncated
