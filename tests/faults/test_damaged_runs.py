"""Issue 14, failures 3, 4 and 5: a damaged newest checkpoint, bad bytes in metrics.jsonl and an
--out folder that cannot be created, through the CLI (in-process, the real entry point)."""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_inproc import check_contract, parse_json_output, run_cli
from runs_fixtures import checkpoint, truncate, word2vec_run


@pytest.fixture
def damaged_run(tmp_path: Path) -> Path:
    run = word2vec_run(tmp_path)
    truncate(checkpoint(run, 20) / "model.safetensors")
    return run


@pytest.mark.parametrize("argv", [["neighbors", "{run}", "king", "-k", "3"],
                                  ["analogy", "{run}", "man", "king", "woman", "-k", "3"],
                                  ["embed", "{run}", "king", "--json"]])
def test_word_commands_fall_back_to_the_newest_readable_checkpoint(damaged_run: Path, argv: list[str]) -> None:
    res = run_cli([a.format(run=damaged_run) for a in argv])
    check_contract(res, "--json" in argv)
    assert res.rc == 0, res.explain()
    assert "step-00000020" in res.err and "skipped" in res.err, res.explain()      # says which it skipped
    assert "step-00000010" in res.err


def test_runs_reports_the_newest_readable_checkpoint(damaged_run: Path) -> None:
    res = run_cli(["runs", str(damaged_run), "--json"])
    check_contract(res, json_mode=True)
    row = parse_json_output(res.out)[0]
    assert Path(row["newest_checkpoint"]).name == "step-00000010"
    assert row["skipped_checkpoints"] and row["skipped_checkpoints"][0].startswith("step-00000020")
    text = run_cli(["runs", str(damaged_run)])
    assert "skipped damaged checkpoint" in text.out and "step-00000020" in text.out


def test_every_checkpoint_damaged_is_one_line(tmp_path: Path) -> None:
    run = word2vec_run(tmp_path)
    for step in (10, 20):
        truncate(checkpoint(run, step) / "model.safetensors")
    res = run_cli(["neighbors", str(run), "king"])
    check_contract(res)
    assert res.rc == 2 and "every checkpoint is damaged" in res.err, res.explain()


def test_non_utf8_metrics_are_skipped_and_counted(tmp_path: Path) -> None:
    bad = word2vec_run(tmp_path, name="bad-run")
    with open(bad / "metrics.jsonl", "ab") as f:
        f.write(b'{"event": "step", "step": 30, "loss": 0.1\xff\xfe}\n\x80\x81\n')
    good = word2vec_run(tmp_path, name="good-run")
    one = run_cli(["runs", str(bad), "--json"])
    check_contract(one, json_mode=True)
    assert one.rc == 0 and parse_json_output(one.out)[0]["skipped_lines"] == 2, one.explain()
    every = run_cli(["runs", str(tmp_path), "--json"])
    check_contract(every, json_mode=True)
    names = {r["name"] for r in parse_json_output(every.out)[0]["runs"]}
    assert names == {bad.name, good.name}
    text = run_cli(["runs", str(tmp_path)])
    assert "skipped 2 unreadable line(s)" in text.out


def test_one_unreadable_run_never_hides_the_others(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_bytes(b"\xff\xfe{not json")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "config.json").write_text("[" * 100_000, encoding="utf-8")
    good = word2vec_run(tmp_path, name="good-run")
    res = run_cli(["runs", str(tmp_path), "--json"])
    check_contract(res, json_mode=True)
    rows = {r["name"]: r for r in parse_json_output(res.out)[0]["runs"]}
    assert rows[good.name]["status"] != "unreadable"
    assert rows["broken"]["status"] == "unreadable" and rows["nested"]["status"] == "unreadable"


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_out_folder_that_cannot_be_created(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = str(blocker / "run") if where == "under-a-file" else "/proc/mlsp-run-fault-test"
    res = run_cli(["train", "toy-mlp", "--out", out, "--steps", "2", "--device", "cpu", "--json"])
    check_contract(res, json_mode=True)
    assert res.rc == 2, res.explain()
    assert len(res.err.strip().splitlines()) == 1 and out in res.err
    events = parse_json_output(res.out)
    assert [e["event"] for e in events] == ["error"] and out in events[0]["message"]


TOY = ["--device", "cpu", "--steps", "4", "--batch-size", "8", "--checkpoint-every", "2", "--set", "hidden=8",
       "--set", "items=64", "--json"]


@pytest.fixture
def toy_run(tmp_path: Path) -> Path:
    out = tmp_path / "toy"
    first = run_cli(["train", "toy-mlp", "--out", str(out), *TOY])
    assert first.rc == 0, first.explain()
    return out


def test_metrics_with_bad_bytes_do_not_stop_a_resume(toy_run: Path) -> None:
    with open(toy_run / "metrics.jsonl", "ab") as f:
        f.write(b"\xff\xfe garbage\n")
    again = run_cli(["train", "toy-mlp", "--out", str(toy_run), "--resume", *TOY])
    check_contract(again, json_mode=True)
    assert again.rc == 0, again.explain()
    assert parse_json_output(again.out)[0]["start_step"] == 4


def test_resume_with_every_checkpoint_unreadable_refuses_and_keeps_them(toy_run: Path) -> None:
    from engine.training.runs import list_checkpoints

    before = [c.path.name for c in list_checkpoints(toy_run)]
    assert len(before) >= 2
    for name in before:
        truncate(toy_run / "checkpoints" / name / "state.safetensors", 0.3)
    refused = run_cli(["train", "toy-mlp", "--out", str(toy_run), "--resume", *TOY])
    check_contract(refused, json_mode=True)
    assert refused.rc == 2 and "--restart" in refused.err, refused.explain()
    assert parse_json_output(refused.out)[-1]["event"] == "error"
    assert [c.path.name for c in list_checkpoints(toy_run)] == before          # kept
    over = run_cli(["train", "toy-mlp", "--out", str(toy_run), "--resume", "--restart", *TOY])
    assert over.rc == 0, over.explain()
    events = parse_json_output(over.out)
    assert events[0]["start_step"] == 0 and events[-1]["event"] == "end" and events[-1]["step"] == 4
