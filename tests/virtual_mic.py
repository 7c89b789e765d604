"""A private PulseAudio server whose microphone hears what is played into it (a null sink and a
virtual source on its monitor), and speech to play, from espeak-ng. For the recording tests."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

import numpy as np
import pytest

MIC = "mlspvmic"
SINK = "mlspvsink"


@dataclass(frozen=True)
class VirtualMic:
    server: str          # PULSE_SERVER value
    source: str          # the microphone's device id
    sink: str            # play here and the microphone hears it
    env: dict            # os.environ with PULSE_SERVER set
    pid: int             # the server's process (a test may kill it)

    def kill_server(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def wait_for_listener(self, timeout: float = 60.0) -> bool:
        """Wait until some program records from the server (a source output exists)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(["pactl", "list", "short", "source-outputs"], env=self.env,
                                 capture_output=True, text=True, timeout=30)
            if out.stdout.strip():
                return True
            time.sleep(0.1)
        return False

    def play(self, wav: str) -> subprocess.Popen:
        return subprocess.Popen(["paplay", "-d", self.sink, wav], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@contextlib.contextmanager
def virtual_microphone():
    binary, paplay = shutil.which("pulseaudio"), shutil.which("paplay")
    if binary is None or paplay is None:
        pytest.skip("pulseaudio and paplay are not installed (.ci/run installs them)")
    folder = tempfile.mkdtemp(prefix="mlsp-mic-")
    socket = os.path.join(folder, "native")
    env = dict(os.environ, HOME=folder, XDG_RUNTIME_DIR=folder, XDG_CONFIG_HOME=folder)
    proc = subprocess.Popen([binary, "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                             "--use-pid-file=no", "--disable-shm",
                             "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
                             "-L", f"module-null-sink sink_name={SINK}",
                             "-L", f"module-virtual-source source_name={MIC} master={SINK}.monitor"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(socket) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if not os.path.exists(socket):
            pytest.fail("the private PulseAudio server did not start")
        yield VirtualMic(f"unix:{socket}", MIC, SINK, dict(os.environ, PULSE_SERVER=f"unix:{socket}"), proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def speech(path: str, text: str = "Attention is all you need. The quick brown fox jumps over the lazy dog.") -> str:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it)")
    subprocess.run(["espeak-ng", "-w", path, text], check=True, capture_output=True, timeout=60)
    return path


def match_score(recorded: np.ndarray, reference: np.ndarray) -> float:
    """Pearson correlation of the recording with the reference at the best alignment (both at the
    same rate): near 1 when the recording is the reference, near 0 for noise or silence."""
    from scipy.signal import correlate

    a = recorded.astype(np.float64) - recorded.mean()
    b = reference.astype(np.float64) - reference.mean()
    lag = int(np.argmax(np.abs(correlate(a, b, mode="full", method="fft")))) - (len(b) - 1)
    lo, hi = max(0, lag), min(len(a), lag + len(b))
    if hi - lo < 1000:
        return 0.0
    x, y = a[lo:hi], b[lo - lag:hi - lag]
    return float(np.corrcoef(x, y)[0, 1])
