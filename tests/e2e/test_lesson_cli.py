"""`mlsp lesson list|check|shots` in a real process: the lessons in lecture order, a malformed file
named with its line and field (exit 2), and a screenshot of a lesson's views."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from engine.lessons import list_lessons

ROOT = Path(__file__).resolve().parents[2]
MLSP = shutil.which("mlsp")
MINI = '''title = "Tiny"
order = 50
topic = "Tests"
idea = "Attention of a short sentence."
[preset]
model = "minilm"
input = { text = "the cat sat on the mat", name = "cat" }
views = ["attention_heatmap"]
[[step]]
text = "One."
[[step]]
text = "Two."
[question]
text = "Q?"
answer = "A."
'''


def mlsp(args: list[str], tmp_path: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, MLSP_HOME=str(tmp_path / "home"), MLSP_RUNS=str(tmp_path / "runs"),
               MLSP_SETTINGS_DIR=str(tmp_path / "settings"), QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1",
               PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    cmd = [MLSP] if MLSP else [sys.executable, "-m", "mlsp_gui.cli"]
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env, timeout=timeout)


def test_list_and_check_every_lesson(tmp_path):
    out = mlsp(["lesson", "list"], tmp_path)
    assert out.returncode == 0, out.stderr
    lessons = list_lessons()
    lines = out.stdout.strip().splitlines()
    assert len(lines) == len(lessons) and [int(line.split()[0]) for line in lines] == [x.order for x in lessons]
    checked = mlsp(["lesson", "check"], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{len(lessons)} of {len(lessons)} lessons are valid" in checked.stdout


def test_check_names_the_file_line_and_field_of_an_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINI.replace('views = ["attention_heatmap"]', 'views = ["no_such_view"]'), encoding="utf-8")
    out = mlsp(["lesson", "check", str(bad)], tmp_path)
    assert out.returncode == 2
    assert f"error: {bad} line 8: preset.views: there is no view 'no_such_view'" in out.stdout
    after = mlsp(["lesson", "check", "--json", str(bad), str(bad)], tmp_path)     # files after an option (the help's order)
    assert after.returncode == 2 and "unrecognized" not in after.stderr, after.stderr
    assert after.stdout.count("no_such_view") == 2


def test_shots_saves_a_screenshot_of_the_lesson_views(tmp_path):
    lesson = tmp_path / "50-tiny.toml"
    lesson.write_text(MINI, encoding="utf-8")
    out = mlsp(["lesson", "shots", str(lesson), "--out", str(tmp_path / "shots"), "--size", "1000x700"], tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    png = tmp_path / "shots" / "50-tiny.png"
    assert png.is_file() and f"wrote {png}" in out.stdout
    pixels = np.asarray(Image.open(png).convert("RGB"))
    assert pixels.shape[:2] == (700, 1000)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200          # a drawn heatmap, not a blank window
