"""transformers' lazy names, reached from several threads at once (the window's job pool loading two
models): every load succeeds. Without `engine.hf_import`'s lock, two of four threads failed with
"cannot import name 'PreTrainedTokenizerFast' from 'transformers'". Each case runs in a fresh
interpreter, where transformers has imported nothing yet."""
from __future__ import annotations

import json
import subprocess
import sys

from engine.paths import ASSETS_DIR

SCRIPT = """
import json, sys, threading
from engine.data.lm_tokenizers import load_tokenizer
from engine.pretrained.hf_text import load_tokenizer as load_auto
folders = sys.argv[1:]
out, start = [], threading.Barrier(len(folders))
def work(i, folder):
    start.wait()
    try:
        tok = (load_tokenizer if i % 2 == 0 else load_auto)(folder)
        out.append(len(tok("the king rules the kingdom")["input_ids"]))
    except Exception as exc:
        out.append(repr(exc))
threads = [threading.Thread(target=work, args=(i, f)) for i, f in enumerate(folders)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(out))
"""


def test_threads_load_tokenizers_at_once_in_fresh_processes():
    """Three fresh processes of six threads each (the race is a matter of timing: before the lock,
    about one process in four failed)."""
    folders = [str(ASSETS_DIR / name) for name in ("bert-mini", "gpt-mini") * 3]
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, *folders], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-2000:]
        results = json.loads(out.strip().splitlines()[-1])
        assert all(isinstance(n, int) and n >= 5 for n in results), results
