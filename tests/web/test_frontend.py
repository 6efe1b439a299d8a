"""The front end's own checks, run from the one test command: Vitest unit tests and the
generated API client being in step with the back end."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"


def _npm(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("node") is None or not (WEB / "node_modules").is_dir():
        pytest.fail("Node/npm packages missing: `make web` installs them")
    env = {**os.environ, "BIHUAN_PYTHON": str(WEB.parent / ".venv" / "bin" / "bihuan")}
    return subprocess.run(args, cwd=WEB, capture_output=True, text=True, timeout=600, env=env)


def test_vitest_unit_tests_pass() -> None:
    r = _npm("npx", "vitest", "run", "--reporter=dot")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


def test_generated_api_client_matches_the_openapi_document() -> None:
    r = _npm("node", "scripts/gen-api.mjs", "--check")
    assert r.returncode == 0, r.stderr[-2000:]
