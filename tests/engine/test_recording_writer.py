"""engine.data.recording: the WAV a recording is written to block by block (what the window's
Record dialog and `mlsp record` both use)."""
import numpy as np
import pytest
import soundfile as sf

from engine.data.audio import read_audio
from engine.data.recording import RecordingWriter, new_recording_path
from engine.errors import ConfigError, InputError


def test_blocks_arrive_in_order_and_read_back_as_written(tmp_path):
    rng = np.random.default_rng(0)
    blocks = [rng.uniform(-0.9, 0.9, n).astype(np.float32) for n in (160, 1, 3200, 777)]
    w = RecordingWriter(tmp_path / "r.wav", 16000)
    for b in blocks:
        assert w.append(b) == len(b)
    info = w.close()
    whole = np.concatenate(blocks)
    data, rate = sf.read(info.path, dtype="float32")
    assert rate == 16000 and info.samples == len(whole) == len(data)
    np.testing.assert_allclose(data, whole, atol=1 / 32768 + 1e-7)          # 16-bit PCM
    assert info.peak == pytest.approx(float(np.abs(whole).max()))
    assert info.rms == pytest.approx(float(np.sqrt(np.mean(whole.astype(np.float64) ** 2))), rel=1e-6)
    assert info.seconds == pytest.approx(len(whole) / 16000) and not info.cut_at_limit
    assert read_audio(info.path).samples.shape[-1] == len(whole)           # the app's own reader opens it


def test_the_length_limit_cuts_the_last_block_and_says_so(tmp_path):
    w = RecordingWriter(tmp_path / "r.wav", 8000, max_seconds=0.5)
    assert w.append(np.full(3000, 0.25, np.float32)) == 3000
    assert w.append(np.full(3000, 2.0, np.float32)) == 1000                 # room for 1000 more, clipped to 1
    assert w.full and w.append(np.ones(10, np.float32)) == 0
    info = w.close()
    assert info.samples == 4000 and info.cut_at_limit and info.peak == 1.0
    assert sf.info(info.path).frames == 4000


def test_bad_settings_and_places_are_refused_with_the_reason(tmp_path):
    with pytest.raises(ConfigError, match="x.wav"):
        RecordingWriter(tmp_path / "x.mp3", 16000)
    with pytest.raises(ConfigError, match="sample rate"):
        RecordingWriter(tmp_path / "r.wav", 0)
    with pytest.raises(ConfigError, match="max_seconds"):
        RecordingWriter(tmp_path / "r.wav", 16000, max_seconds=0)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match="cannot write the recording"):
        RecordingWriter(blocker / "r.wav", 16000)


def test_new_names_never_overwrite_and_discard_removes_the_file(tmp_path):
    first = new_recording_path(tmp_path / "recs")
    first.write_bytes(b"")
    second = new_recording_path(tmp_path / "recs")
    assert second != first and second.parent == first.parent and second.suffix == ".wav"
    w = RecordingWriter(second, 16000)
    w.append(np.zeros(100, np.float32))
    w.discard()
    assert not second.exists()
