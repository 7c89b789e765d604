"""builtin:words (shipped assets, augmented speakers, splits, held-out voices) and a user's word folder."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest
import soundfile as sf

from engine.data.words import (
    CLIP_SAMPLES,
    HELD_OUT_VOICES,
    LABELS,
    SAMPLE_RATE,
    resolve_words,
)
from engine.data.words import augment as aug
from engine.data.words.builtin import (
    BUILTIN,
    _decode,
    _make,
    plan_clips,
    read_manifest,
    words_dir,
)
from engine.data.words.voices import (
    HELD_OUT_VARIANTS,
    TRAIN_ONLY_VARIANTS,
    rendered_voices,
)
from engine.errors import InputError


def _pitch(x: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Median F0 (Hz) of the loud 40-ms frames, from the autocorrelation peak between 60 and 400 Hz."""
    n = int(0.04 * rate)
    frames = [x[i:i + n] for i in range(0, len(x) - n, n // 2)]
    energy = np.array([np.sum(f ** 2) for f in frames])
    f0 = []
    for f in (f for f, e in zip(frames, energy) if e > 0.3 * energy.max()):
        f = f - f.mean()
        ac = np.correlate(f, f, "full")[n - 1:]
        lo, hi = rate // 400, rate // 60
        k = lo + int(np.argmax(ac[lo:hi]))
        shift = 0.5 * (ac[k - 1] - ac[k + 1]) / (ac[k - 1] - 2 * ac[k] + ac[k + 1])   # parabolic peak
        f0.append(rate / (k + shift))
    return float(np.median(f0))


def _centroid(x: np.ndarray) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    return float(np.sum(np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE) * power) / np.sum(power))


def _vowel(f0: float = 120.0, seconds: float = 0.5) -> np.ndarray:
    """A steady synthetic vowel: harmonics of f0 shaped by formants at 700 and 1200 Hz."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    x = sum(np.sin(2 * np.pi * f0 * h * t) * (np.exp(-((f0 * h - 700) / 150) ** 2) + 0.5 * np.exp(-((f0 * h - 1200) / 200) ** 2))
            for h in range(1, 30))
    return (0.5 * x / np.abs(x).max()).astype(np.float32)


# ---- builtin:words ------------------------------------------------------------------------------------

def test_assets_are_the_voice_table_rendered_and_under_15_mb():
    m = read_manifest()
    voices = rendered_voices()
    assert [(v["id"], v["split"]) for v in m["voices"]] == [(v.id, v.split) for v in voices]
    assert m["sample_rate"] == SAMPLE_RATE and tuple(m["labels"]) == LABELS
    pairs = [(c[4], c[3]) for c in m["clips"]]
    assert sorted(pairs) == [(v, w) for v in range(len(voices)) for w in range(len(LABELS))]   # every voice says every word once
    for name, digest in m["files"].items():
        assert hashlib.sha1((words_dir() / name).read_bytes()).hexdigest() == digest
    assert sum(f.stat().st_size for f in words_dir().iterdir()) < 15e6


def test_splits_are_disjoint_by_speaker_and_by_voice_family_and_hold_every_word():
    plans = plan_clips(BUILTIN["words"])
    speakers = {s: {p.speaker for p in plans if p.split == s} for s in ("train", "valid", "test")}
    for a, b in (("train", "valid"), ("train", "test"), ("valid", "test")):
        assert not speakers[a] & speakers[b]
    voices = read_manifest()["voices"]
    fam = {s: {v["family"] for v in voices if v["split"] == s} for s in speakers}
    assert not fam["train"] & fam["valid"] and not fam["train"] & fam["test"] and not fam["valid"] & fam["test"]
    assert {f"espeak:{v}" for v in TRAIN_ONLY_VARIANTS} <= fam["train"]  # inhuman formants never test
    for s, members in speakers.items():
        counts = np.bincount([p.label for p in plans if p.split == s], minlength=len(LABELS))
        assert counts.min() == counts.max() == len(members)             # every speaker says every word
        assert len(fam[s]) >= 10
    train_voices = sum(v["split"] == "train" for v in voices)
    assert len(speakers["train"]) == 2 * train_voices                   # two augmented speakers per voice
    assert len(speakers["train"]) + len(speakers["valid"]) + len(speakers["test"]) > 850


def test_held_out_voices_are_in_no_split():
    rendered = {(v["engine"], v["voice"]) for v in read_manifest()["voices"]}
    for held in HELD_OUT_VOICES:
        assert (held.engine, held.voice) not in rendered
    variants = {voice.split("+")[1] if "+" in voice else "" for engine, voice in rendered if engine == "espeak-ng"}
    assert not variants & set(HELD_OUT_VARIANTS)                        # no default voice, no +m4, +f3, +klatt2
    assert not any(v == "rms" for _, v in rendered)


def test_words_small_clips_are_one_second_deterministic_and_noisy_at_their_snr():
    c = resolve_words("builtin:words-small")
    assert c.labels == LABELS and c.sample_rate == SAMPLE_RATE
    assert all(s.counts() == {w: len(set(s.speakers)) for w in LABELS} for s in c.splits)
    w = c.test[3]
    assert w.samples.shape == (CLIP_SAMPLES,) and w.samples.dtype == np.float32 and w.split == "test"
    assert w.label == LABELS[c.test.label_ids[3]] and w.name == f"{w.label}/{w.speaker}"
    batch = c.train.waveforms([0, 5, 9])
    assert batch.shape == (3, CLIP_SAMPLES) and np.isfinite(batch).all() and np.abs(batch).max() <= 1.0
    # The cached corpus equals clips made afresh from the assets.
    plans = plan_clips(BUILTIN["words-small"])
    rows = np.array([0, 5, 9, len(plans) - 1])
    fresh = _make([plans[i] for i in rows])
    store = c.train.store
    for j, r in enumerate(rows):
        start = int(np.sum(fresh["lengths"][:j]))
        seg = fresh["segments"][start:start + fresh["lengths"][j]]
        assert np.array_equal(seg, store.segments[store.starts[r]:store.starts[r] + store.lengths[r]])
        assert fresh["offsets"][j] == store.offsets[r] and fresh["noise_gain"][j] == store.noise.gain[r]
    # Background noise sits at the planned SNR relative to the speech.
    for r in [i for i in range(len(plans)) if plans[i].clip.kind][:5]:
        clip = store.clips([r])[0]
        o, n = store.offsets[r], store.lengths[r]
        speech = np.zeros(CLIP_SAMPLES, np.float32)
        speech[o:o + n] = store.segments[store.starts[r]:store.starts[r] + n] / 32768
        snr = 20 * np.log10(aug.speech_rms(speech[o:o + n]) / np.sqrt(np.mean((clip - speech) ** 2)))
        assert abs(snr - plans[r].clip.snr_db) < 0.5


def test_augmentation_changes_pitch_length_and_level():
    x = _vowel(120.0)
    assert _pitch(x) == pytest.approx(120.0, rel=0.01)
    warped = aug.warp(x, 1.15)
    assert _pitch(warped) == pytest.approx(120.0 * 1.15, rel=0.02)
    assert len(warped) == pytest.approx(len(x) / 1.15, rel=0.01)
    slow = aug.time_stretch(x, 0.85)
    assert len(slow) == pytest.approx(len(x) / 0.85, rel=0.01)
    assert _pitch(slow) == pytest.approx(120.0, rel=0.02)                 # speed kept the pitch
    assert np.abs(aug.set_peak(x, -20.0)).max() == pytest.approx(0.1, rel=1e-4)
    wet = aug.reverb(x, 0.4, 0.4, np.random.default_rng(0))
    assert len(wet) > len(x) + 1000 and np.sqrt(np.mean(wet[len(x):] ** 2)) > 1e-3
    # Real speech from the assets: pitch and spectral centroid follow the warp.
    plan = next(p for p in plan_clips(BUILTIN["words"]) if "+m1-" in p.speaker and LABELS[p.label] == "zero")
    speech = _decode([plan])[plan.source]
    up = aug.warp(speech, 1.12)
    assert _pitch(up) / _pitch(speech) == pytest.approx(1.12, rel=0.03)
    assert _centroid(up) / _centroid(speech) == pytest.approx(1.12, rel=0.05)
    assert _pitch(aug.time_stretch(speech, 1.15)) == pytest.approx(_pitch(speech), rel=0.03)


# ---- a user's folder ----------------------------------------------------------------------------------

TONES = {"yes": 440.0, "no": 660.0, "up": 990.0}


def _tone(freq: float, seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _speech_commands_folder(root, rate=44100):
    """3 words x 10 speakers x 2 takes as stereo FLAC, plus the odd files a real folder has."""
    for word, freq in TONES.items():
        (root / word).mkdir(parents=True)
        for s in range(10):
            for take in range(2):
                mono = _tone(freq, 0.5, rate)
                sf.write(root / word / f"spk{s:02d}_nohash_{take}.flac", np.stack([mono, 0.5 * mono], 1), rate)
    (root / "_background_noise_").mkdir()
    sf.write(root / "_background_noise_" / "white.wav", np.zeros(rate, np.float32), rate)
    (root / "README.md").write_text("not audio")
    (root / "yes" / "broken_nohash_0.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 10)
    sf.write(root / "no" / "quiet_nohash_0.flac", np.zeros(rate // 2, np.float32), rate)
    long = np.zeros(3 * rate, np.float32)
    long[2 * rate:2 * rate + rate // 2] = _tone(TONES["up"], 0.5, rate)
    sf.write(root / "up" / "long_nohash_0.flac", long, rate)


def test_speech_commands_folder_at_44k_stereo_flac(tmp_path):
    _speech_commands_folder(tmp_path)
    c = resolve_words(tmp_path, need_labels=True)
    assert c.labels == ("no", "up", "yes") and len(c) == 62                # 60 takes + silent + long; broken skipped
    assert "broken_nohash_0.wav" in c.note and "skipped 1 of 63" in c.note
    assert "1 clips are silent" in c.note and "no/quiet_nohash_0.flac" in c.note
    assert "1 clips were longer than 1 s" in c.note
    speakers = [set(s.speakers) for s in c.splits]
    assert all(speakers) and not (speakers[0] & speakers[1] or speakers[0] & speakers[2] or speakers[1] & speakers[2])
    assert "spk03" in set().union(*speakers)
    everything = [w for s in c.splits for w in s]
    clip = next(w for w in everything if w.name == "yes/spk03_nohash_1.flac")
    assert clip.samples.shape == (CLIP_SAMPLES,) and clip.sample_rate == SAMPLE_RATE and clip.speaker == "spk03"
    spectrum = np.abs(np.fft.rfft(clip.samples[:8000]))
    assert np.argmax(spectrum) * SAMPLE_RATE / 8000 == pytest.approx(440.0, abs=2.0)
    assert np.abs(clip.samples[:7900]).max() == pytest.approx(0.4 * 0.75, rel=0.02)   # mean of the two channels
    assert np.abs(clip.samples[8100:]).max() == 0.0                                  # padded after the word
    long = next(w for w in everything if w.name == "up/long_nohash_0.flac")
    assert np.abs(long.samples).max() == pytest.approx(0.4, rel=0.02)                 # its loudest second
    silent = [s.silent[i] for s in c.splits for i in range(len(s)) if s.names[i] == "no/quiet_nohash_0.flac"]
    assert silent == [True] and sum(int(s.silent.sum()) for s in c.splits) == 1


def test_speech_commands_list_files_decide_the_splits(tmp_path):
    _speech_commands_folder(tmp_path)
    (tmp_path / "validation_list.txt").write_text("yes/spk01_nohash_0.flac\nno/spk01_nohash_0.flac\n")
    (tmp_path / "testing_list.txt").write_text("up/spk02_nohash_1.flac\n")
    c = resolve_words(tmp_path)
    assert sorted(c.valid.names) == ["no/spk01_nohash_0.flac", "yes/spk01_nohash_0.flac"]
    assert list(c.test.names) == ["up/spk02_nohash_1.flac"] and len(c.train) == 59
    assert "'up' in valid" in c.note                                      # the user's lists leave gaps: said


def test_unlabelled_folder_is_cut_into_seconds(tmp_path):
    sf.write(tmp_path / "talk.wav", _tone(300.0, 2.5, 48000), 48000)
    sf.write(tmp_path / "short.ogg", _tone(500.0, 0.6, 22050), 22050)
    sf.write(tmp_path / "tail.wav", _tone(300.0, 1.1, 16000), 16000)         # 0.1 s left over: dropped
    c = resolve_words(tmp_path)
    assert c.labels == () and not c.labelled and len(c) == 3 + 1 + 1
    names = sorted(n for s in c.splits for n in s.names)
    assert names == ["short.ogg", "tail.wav", "talk.wav @ 0 s", "talk.wav @ 1 s", "talk.wav @ 2 s"]
    assert all((s.label_ids == -1).all() and s.counts() == {} for s in c.splits)
    clip = next(w for s in c.splits for w in s if w.name == "talk.wav @ 2 s")
    assert clip.label == "" and np.abs(clip.samples[:7900]).max() > 0.35 and np.abs(clip.samples[8100:]).max() == 0
    with pytest.raises(InputError, match="no word subfolders"):
        resolve_words(tmp_path, need_labels=True)


def test_bad_folders_say_what_is_wrong(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        resolve_words(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="it is empty"):
        resolve_words(tmp_path / "empty")
    (tmp_path / "texts" / "yes").mkdir(parents=True)
    (tmp_path / "texts" / "yes" / "a.txt").write_text("hello")
    with pytest.raises(InputError, match="1 file.* not audio"):
        resolve_words(tmp_path / "texts")
    (tmp_path / "broken" / "yes").mkdir(parents=True)
    (tmp_path / "broken" / "yes" / "a.wav").write_bytes(b"not a wav file at all")
    with pytest.raises(InputError, match="none of the 1 audio files"):
        resolve_words(tmp_path / "broken")
    one = tmp_path / "one"
    (one / "yes").mkdir(parents=True)
    for s in range(4):
        sf.write(one / "yes" / f"s{s}_nohash_0.wav", _tone(440.0, 0.3, 16000), 16000)
    assert resolve_words(one).labels == ("yes",)                           # fine for unlabelled use
    with pytest.raises(InputError, match="only one word"):
        resolve_words(one, need_labels=True)
    with pytest.raises(InputError, match="builtin:words"):
        resolve_words("builtin:nope")
