"""CLI fuzz: every `mlsp` command (the parser's own list, so new commands join by themselves) with
generated bad arguments — missing, empty, negative, huge, wrong type, NaN and infinity, unknown
devices, odd Unicode (including the lone surrogates a non-UTF-8 argv byte becomes), very long — must
end with exit 0 or 2, no traceback, one error line, strict JSON under --json. Deterministic (a
fixed seed); in-process. What would start real work (training steps, a microphone, a speaker, a
window for screenshots) stops at a marker once the arguments have been accepted."""
from __future__ import annotations

import argparse
import functools
import random

import numpy as np
import pytest
import soundfile as sf
from cli_inproc import check_contract, parse_json_output, run_cli

from engine.errors import MlspError

SEED = 14
INTS = ["-1", "0", "99999999999999999999", "abc", "1e309", "nan", "2.5", "--"]
FLOATS = ["-1", "0", "nan", "inf", "-inf", "1e309", "abc", "1e-320"]
TEXTS = ["", " ", "☃漢字🙂", "\u202eevil\u202c", "\udcff\udcfe", "x" * 5000, "-", "/proc/self/mem", "nul\\0",
         "../../..", "hf:", "hf:/nonexistent", "builtin:", "builtin:nothing"]
DEVICES = ["cuda:7", "tpu", "CUDA", "cpu:0", "mps:1", "cuda:-1", "cuda:99999999999999999999", ""]
RANDOM_CASES = 12           # extra random argument lists per command


class Reached(MlspError):
    """The arguments were accepted and real work (training, a device, a window) would start now."""


def _reached(*_a, **_k):
    raise Reached("arguments accepted; the fuzz test stops before the real work.")


HEAVY = {"evaluate", "lm-eval", "probe", "finetune", "compare"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Good inputs for each command, and the patches that stop real work."""
    root = tmp_path_factory.mktemp("fuzz")
    wav = root / "tone.wav"
    sf.write(wav, (0.3 * np.sin(np.arange(8000) / 5)).astype(np.float32), 16000)
    tsv = root / "vectors.tsv"
    tsv.write_text("".join(f"{i}\t{i % 4}\t{i % 3}\n" for i in range(12)), encoding="utf-8")
    text = root / "words.txt"
    text.write_text("the king and the queen\n", encoding="utf-8")
    from hf_folders import hf_tiny

    bert = f"hf:{hf_tiny.tiny_folder('bert')}"          # a tiny BERT: the attention commands' passes stay cheap
    png = root / "digit.png"
    from PIL import Image

    Image.fromarray((np.arange(32 * 32).reshape(32, 32) % 256).astype(np.uint8)).save(png)
    pairs = root / "pairs.tsv"
    pairs.write_text("i am a student\tje suis étudiant\nthe cat is black\tle chat est noir\n", encoding="utf-8")
    labelled = root / "labelled.tsv"
    labelled.write_text("".join(f"the king {w}\t{w}\n" for w in ("eats", "sleeps") * 4), encoding="utf-8")
    good = {
        "analogy": ["word2vec", "man", "king", "woman"], "attention": [bert, "the cat sat"],
        "attention-summary": [bert, "the cat sat"], "data": [], "doctor": [], "embed": ["word2vec", str(text)],
        "models": [], "neighbors": ["word2vec", "king"], "project": [str(tsv)], "runs": [str(root)],
        "similarity": ["word2vec", "king", "queen"], "spectrogram": [str(wav)],
        "train": ["toy-mlp", "--out", str(root / "run"), "--steps", "2"], "record": [], "play": [str(wav)],
        "lesson": ["check"], "classify": ["lstm-attn", str(wav)], "fill-mask": ["bert-mini", "the [MASK] sat"],
        "generate": ["gpt-mini", "the queen", "--max-new-tokens", "2"], "translate": ["seq2seq", "i am a student"],
        "reconstruct": ["vit-mae", str(png)], "evaluate": ["seq2seq", "--data", str(pairs)],
        "lm-eval": ["gpt-mini", "--data", str(text)], "probe": ["vit-mae", "--data", "builtin:digits"],
        "finetune": ["gpt-mini", "--task", str(labelled)], "compare": [],
    }
    return root, good


@pytest.fixture(autouse=True)
def _no_real_work(monkeypatch, world):
    import engine.zoo
    import mlsp_gui.cli_audio
    import mlsp_gui.lesson_shots
    from engine.training import trainer

    root, _good = world
    monkeypatch.setenv("MLSP_RUNS", str(root / "runs"))
    monkeypatch.setenv("MLSP_HOME", str(root / "home"))
    monkeypatch.setattr(trainer, "_run", _reached)
    monkeypatch.setattr(mlsp_gui.cli_audio, "ensure_app", _reached)
    monkeypatch.setattr(mlsp_gui.lesson_shots, "save_shots", _reached)
    monkeypatch.setattr(engine.zoo, "load_model", _cached_load(engine.zoo.load_model))


def _cached_load(load):
    cache = {}

    @functools.wraps(load)
    def cached(ref, device="auto"):
        key = (str(getattr(ref, "text", ref)), str(device))
        if key not in cache:
            cache[key] = load(ref, device)
        return cache[key]

    return cached


def _commands() -> dict[str, argparse.ArgumentParser]:
    from engine.cli import build_parser
    from mlsp_gui.cli import GUI_COMMANDS

    parser = build_parser(GUI_COMMANDS)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _values(action: argparse.Action) -> list[str]:
    if action.choices:
        return ["", "☃", str(next(iter(action.choices))).upper()]
    if action.type is int:
        return INTS
    if action.type is float:
        return FLOATS
    if action.dest == "device":
        return DEVICES
    return TEXTS


def cases_of(name: str, parser: argparse.ArgumentParser, good: list[str]) -> list[list[str]]:
    """The bad argument lists of one command (deterministic)."""
    rng = random.Random(f"{SEED}-{name}")
    positionals = [a for a in parser._actions if not a.option_strings]
    options = [a for a in parser._actions if a.option_strings and a.nargs != 0 and a.dest != "help"]
    flags = [a for a in parser._actions if a.option_strings and a.nargs == 0 and a.dest not in ("help", "version")]
    n_pos = len([g for g in good if not g.startswith("--")]) if name != "train" else 1
    base, extra = good[:n_pos], good[n_pos:]
    cases = [[name], [name, *good], [name, *good, "--json"]]
    cases += [[name, *base[:i]] for i in range(len(base))]                         # missing
    for i in range(min(len(positionals), len(base))):                              # each positional bad
        for v in rng.sample(TEXTS + INTS[:4], 6):
            cases.append([name, *base[:i], v, *base[i + 1:], *extra, "--json"])
    for action in options:                                                          # each option bad
        opt = action.option_strings[-1]
        for v in rng.sample(_values(action), min(4, len(_values(action)))):
            cases.append([name, *good, f"{opt}={v}" if v.startswith("-") else opt, *([] if v.startswith("-") else [v])])
        cases.append([name, *good, opt])                                            # the option's value missing
    for _ in range(RANDOM_CASES):                                                  # random mixtures
        argv = [name, *base]
        for action in rng.sample(options + flags, min(3, len(options) + len(flags))):
            opt = action.option_strings[-1]
            argv += [opt] if action.nargs == 0 else [f"{opt}={rng.choice(_values(action))}"]
        cases.append(argv + (["--json"] if rng.random() < 0.5 else []))
    return cases


@pytest.mark.parametrize("command", sorted(_commands()))
def test_fuzz_command(world, command: str, monkeypatch) -> None:
    import engine.zoo

    root, good = world
    if command in HEAVY:                                   # their real work (whole test splits, training) stops at the load
        monkeypatch.setattr(engine.zoo, "load_model", _reached)
    parser = _commands()[command]
    assert command in good, f"give `{command}` good arguments in the fuzz test's world fixture"
    for argv in cases_of(command, parser, good[command]):
        res = run_cli(argv, cwd=str(root))
        json_mode = "--json" in argv and res.rc == 0
        check_contract(res, json_mode=json_mode)
        if json_mode and res.out.strip():
            parse_json_output(res.out)
            res.out.encode("utf-8")                     # what a real stdout must be able to write


def test_unknown_command_and_global_options() -> None:
    for argv in (["no-such-command"], [], ["--version"], ["-h"], ["☃"], ["--json"], ["models", "--jsn"]):
        check_contract(run_cli(argv))
