"""`core.startup`: a server process freezes what it holds at start, once."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from commontable.core import startup

ROOT = Path(__file__).resolve().parents[3]


def test_settling_freezes_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(startup, "_settled", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    assert startup.settle_long_lived_objects() is True
    assert startup.settle_long_lived_objects() is False
    assert calls == ["freeze"]


def test_the_wsgi_and_asgi_entry_points_settle_the_process():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-abc",
           "ALLOWED_HOSTS": "testserver"}
    for module in ("config.wsgi", "config.asgi"):
        script = (f"import gc; import {module} as entry; "
                  "from commontable.core import startup; "
                  "print(callable(entry.application), startup._settled, gc.get_freeze_count() > 1000)")
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                              check=False, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["True", "True", "True"], (module, done.stdout, done.stderr)
