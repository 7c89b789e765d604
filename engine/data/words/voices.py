"""The voices of `builtin:words`: which synthetic speakers say the words, which split each belongs to,
and which voices are held out of every split.

A *voice* is one rendered speaker: a TTS engine, a voice of it, a speaking rate and a pitch. Voices
that share a timbre (one espeak-ng variant in eight English accents; flite's and festival's recordings
of one person) form a *family*, and a split takes whole families (80 / 10 / 10 % by a hash of the
family's name), so the test split holds timbres that training never heard. Variants with inhuman
formants (TRAIN_ONLY_VARIANTS) always train. At load time each voice becomes one or more augmented speakers
(engine/data/words/augment.py).

Held out of every split (never rendered into the assets; for tests of unseen voices):
espeak-ng with no variant (its default voice: `espeak-ng WORD` as the recording tests use it), and the
variants +m4, +f3 and +klatt2 in any accent; flite's rms voice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

LABELS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")

# espeak-ng 1.51's English accents (`espeak-ng --voices=en`, the mbrola ones need mbrola: left out).
ESPEAK_ACCENTS = ("en-gb", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
                  "en-029", "en-us-nyc")
# Its voice variants (espeak-ng-data/voices/!v), less "fast" (the default voice under another name).
ESPEAK_VARIANTS = (
    "Alex", "Alicia", "Andrea", "Andy", "Annie", "AnxiousAndy", "Demonic", "Denis", "Diogo", "Gene", "Gene2",
    "Henrique", "Hugo", "Jacky", "Lee", "Marco", "Mario", "Michael", "Mike", "Mr serious", "Nguyen",
    "RicishayMax", "RicishayMax2", "RicishayMax3", "Storm", "Tweaky", "UniRobot", "adam", "anika",
    "anikaRobot", "announcer", "antonio", "aunty", "belinda", "benjamin", "boris", "caleb", "croak", "david",
    "ed", "edward", "edward2", "f1", "f2", "f3", "f4", "f5", "grandma", "grandpa", "gustave", "iven", "iven2",
    "iven3", "iven4", "john", "kaukovalta", "klatt", "klatt2", "klatt3", "klatt4", "klatt5", "klatt6", "linda",
    "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "marcelo", "max", "michel", "miguel", "norbert", "pablo",
    "paul", "pedro", "quincy", "rob", "robert", "robosoft", "robosoft2", "robosoft3", "robosoft4",
    "robosoft5", "robosoft6", "robosoft7", "robosoft8", "sandro", "shelby", "steph", "steph2", "steph3",
    "travis", "victor", "whisper", "whisperf", "zac",
)
HELD_OUT_VARIANTS = ("", "m4", "f3", "klatt2")       # "" = espeak-ng's default voice (no variant)
# Variants whose first three formants are not those of a human vocal tract (a frequency factor below 70 %
# or above 160 % of the default voice's, in espeak-ng 1.51's variant files): they train the models to be
# robust, but valid and test hold only voices a person could have.
TRAIN_ONLY_VARIANTS = ("Andy", "AnxiousAndy", "Jacky", "Lee", "Michael", "Tweaky", "boris", "gustave",
                       "kaukovalta", "marcelo", "travis")
ACCENTS_PER_VARIANT = 5                               # each variant speaks in 5 of the 8 accents

# Other engines: (engine, voice, family, tunable). flite's kal and festival's kal_diphone are one person
# (kal), as are flite's slt and festival's HTS slt. Festival's HTS voice ignores rate and pitch settings,
# so it is rendered once.
OTHER_VOICES = (
    ("flite", "kal16", "kal", True), ("flite", "kal", "kal", True), ("flite", "awb", "awb", True),
    ("flite", "slt", "slt", True), ("festival", "kal_diphone", "kal", True),
    ("festival", "ked_diphone", "ked", True), ("festival", "cmu_us_slt_arctic_hts", "slt", False),
)
HELD_OUT_OTHER = (("flite", "rms"),)
OTHER_SETTINGS = 4                                    # rate/pitch settings per non-espeak voice
# Families of the other engines go to fixed splits (too few to draw by hash).
OTHER_SPLITS = {"kal": "train", "awb": "train", "slt": "train", "ked": "test"}
SPLIT_SHARES = (("train", 0.8), ("valid", 0.1), ("test", 0.1))
SPLITS = tuple(name for name, _ in SPLIT_SHARES)



@dataclass(frozen=True)
class Voice:
    """One rendered speaker. `rate` is espeak-ng's words per minute or, for flite and festival, a
    duration stretch (1 = normal); `pitch` is espeak-ng's 0..99 or a mean F0 in Hz (0 = the voice's own)."""

    engine: str           # "espeak-ng" | "flite" | "festival"
    voice: str            # "en-us+m3" | "kal16" | "ked_diphone"
    family: str           # timbre shared across accents and engines: "espeak:m3" | "kal"
    rate: float
    pitch: float
    split: str            # "train" | "valid" | "test"

    @property
    def id(self) -> str:
        """A short unique name without spaces: "espeak-en-us+m3-r160-p40"."""
        voice = self.voice.replace(" ", "_")
        return f"{self.engine.split('-')[0]}-{voice}-r{self.rate:g}-p{self.pitch:g}"


def stable_unit(text: str) -> float:
    """A number in [0, 1) fixed by `text` (SHA-1; the same on every machine and Python run)."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16) / float(1 << 48)


def family_split(family: str) -> str:
    """The split a family of voices belongs to."""
    if family in OTHER_SPLITS:
        return OTHER_SPLITS[family]
    if family.removeprefix("espeak:") in TRAIN_ONLY_VARIANTS:
        return "train"
    u, edge = stable_unit("split:" + family), 0.0
    for name, share in SPLIT_SHARES:
        edge += share
        if u < edge:
            return name
    return SPLITS[-1]


def _espeak_voices() -> list[Voice]:
    out = []
    for i, variant in enumerate(v for v in ESPEAK_VARIANTS if v not in HELD_OUT_VARIANTS):
        family = f"espeak:{variant}"
        split = family_split(family)
        for k in range(ACCENTS_PER_VARIANT):
            accent = ESPEAK_ACCENTS[(i * 3 + k) % len(ESPEAK_ACCENTS)]
            key = f"{accent}+{variant}"
            rate = 120 + 10 * int(stable_unit("rate:" + key) * 11)        # 120..220 wpm (175 default)
            pitch = 20 + 5 * int(stable_unit("pitch:" + key) * 13)        # 20..80 (50 default)
            out.append(Voice("espeak-ng", key, family, rate, pitch, split))
    return out


def _other_voices() -> list[Voice]:
    out = []
    for engine, voice, family, tunable in OTHER_VOICES:
        if not tunable:
            out.append(Voice(engine, voice, family, 1.0, 0, OTHER_SPLITS[family]))
            continue
        for k in range(OTHER_SETTINGS):
            stretch = (0.85, 1.0, 1.15, 1.3)[k]
            f0 = 0 if k == 1 else 80 + 10 * int(stable_unit(f"f0:{engine}:{voice}:{k}") * 15)   # 80..220 Hz
            out.append(Voice(engine, voice, family, stretch, f0, OTHER_SPLITS[family]))
    return out


def rendered_voices() -> tuple[Voice, ...]:
    """Every voice rendered into the assets, in a fixed order."""
    return tuple(_espeak_voices() + _other_voices())


HELD_OUT = "held-out"
# Voices in no split, at their engines' default rate and pitch: `espeak-ng WORD` (the default voice,
# en-gb with no variant), `espeak-ng -v en-us WORD`, ..., `flite -voice rms -t WORD`.
HELD_OUT_VOICES = (
    Voice("espeak-ng", "en", "espeak:", 175, 50, HELD_OUT),
    Voice("espeak-ng", "en-us", "espeak:", 175, 50, HELD_OUT),
    Voice("espeak-ng", "en-gb-scotland", "espeak:", 175, 50, HELD_OUT),
    Voice("espeak-ng", "en-us+m4", "espeak:m4", 175, 50, HELD_OUT),
    Voice("espeak-ng", "en-gb+f3", "espeak:f3", 175, 50, HELD_OUT),
    Voice("espeak-ng", "en-gb-x-rp+klatt2", "espeak:klatt2", 175, 50, HELD_OUT),
    Voice("flite", "rms", "rms", 1.0, 0, HELD_OUT),
)
