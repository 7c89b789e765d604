"""RunProcess reads the trainer's stdout in batches: a real child process that prints JSON lines in
bursts, some split across writes, some not JSON at all, must still give every event, in order."""
from __future__ import annotations

import json
import sys

from engine.training.event_types import EndEvent, StepEvent
from mlsp_gui.training.run_process import RunProcess

# Prints N step events: bursts of lines, a line cut in two writes with a pause between, a plain
# log line, and a final line without its newline (kept until the process ends, then parsed).
CHILD = r"""
import json, sys, time
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    line = json.dumps({"event": "step", "step": i + 1, "loss": 1.0 / (i + 1)}) + "\n"
    if i % 97 == 5:
        out.write(line[:7]); out.flush(); time.sleep(0.06); out.write(line[7:])
    else:
        out.write(line)
    if i == 300:
        out.write("plain log line\n")
    if i % 50 == 0:
        out.flush(); time.sleep(0.01)
out.write(json.dumps({"event": "end", "reason": "finished", "step": n}))
out.flush()
"""


def test_every_event_arrives_in_order(qtbot):
    proc = RunProcess()
    events: list = []
    texts: list[str] = []
    proc.event.connect(events.append)
    proc.text.connect(texts.append)
    proc.child_nice = 0
    n = 1000
    with qtbot.waitSignal(proc.ended, timeout=60000) as ended:
        proc.start([sys.executable, "-c", CHILD, str(n)])
    assert ended.args == ["finished", ""]
    steps = [e for e in events if isinstance(e, StepEvent)]
    assert [e.step for e in steps] == list(range(1, n + 1))
    assert [e.loss for e in steps] == [json.loads(json.dumps(1.0 / i)) for i in range(1, n + 1)]
    assert events[-1] == EndEvent(reason="finished", step=n)
    assert texts == ["plain log line"]


def test_lines_are_read_in_batches(qtbot, monkeypatch):
    """Lines flushed one by one, a few milliseconds apart (a trainer logging every step), are parsed
    in batches: far fewer reads than lines."""
    proc = RunProcess()
    reads = []
    real_read = proc._read_stdout

    def counting_read():
        reads.append(1)
        real_read()

    monkeypatch.setattr(proc, "_read_stdout", counting_read)
    proc._read_timer.timeout.disconnect()
    proc._read_timer.timeout.connect(counting_read)
    events: list = []
    proc.event.connect(events.append)
    proc.child_nice = 0
    burst = ("import json, time\nfor i in range(500):\n"
             "    print(json.dumps({'event': 'step', 'step': i}), flush=True)\n    time.sleep(0.002)\n")
    with qtbot.waitSignal(proc.ended, timeout=60000):
        proc.start([sys.executable, "-c", burst])
    assert [e.step for e in events] == list(range(500))
    assert len(reads) < 250


def test_a_line_that_breaks_the_schema_is_reported_once(qtbot):
    """A line that claims to be an event but is not one (a wrong type, an unknown kind) becomes log
    text, and the first one per run is reported with the reason; the good events still arrive."""
    proc = RunProcess()
    events, texts, malformed = [], [], []
    proc.event.connect(events.append)
    proc.text.connect(texts.append)
    proc.malformed.connect(malformed.append)
    proc.child_nice = 0
    child = ("import json\n"
             "for obj in ({'event': 'step', 'step': 1, 'loss': 0.5}, {'event': 'step', 'step': 'two'},\n"
             "            {'event': 'telemetry', 'step': 3}, {'event': 'end', 'reason': 'finished', 'step': 1}):\n"
             "    print(json.dumps(obj), flush=True)\n")
    with qtbot.waitSignal(proc.ended, timeout=60000) as ended:
        proc.start([sys.executable, "-c", child])
    assert ended.args == ["finished", ""]
    assert events == [StepEvent(step=1, loss=0.5), EndEvent(reason="finished", step=1)]
    assert len(malformed) == 1 and "'step'" in malformed[0] and "'two'" in malformed[0]
    assert [json.loads(t)["step"] for t in texts] == ["two", 3]
