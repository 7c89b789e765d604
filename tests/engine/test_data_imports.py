"""`engine.data` stays light: loading inputs never imports torch, transformers or Qt."""
import subprocess
import sys

CODE = r"""
import sys, tempfile, os
import numpy as np, soundfile as sf
from PIL import Image
import engine.data as data
folder = tempfile.mkdtemp()
sf.write(os.path.join(folder, "a.wav"), np.zeros(4410, np.float32), 44100)
Image.new("RGBA", (4, 3)).save(os.path.join(folder, "b.png"))
open(os.path.join(folder, "c.txt"), "w").write("one\ntwo\n")
for name in ("a.wav", "b.png", "c.txt"):
    data.inspect(os.path.join(folder, name))
    data.load_input(os.path.join(folder, name), sample_rate=16000)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers", "scipy", "PySide6"))
print("HEAVY:" + ",".join(heavy))
"""


def test_loading_every_kind_imports_no_torch():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert [l for l in out.stdout.splitlines() if l.startswith("HEAVY:")] == ["HEAVY:"]
