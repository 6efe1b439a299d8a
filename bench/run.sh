#!/usr/bin/env bash
# One command for the whole benchmark: bench/run.sh [--quick] [options; see --help]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py="$root/.venv/bin/python"
[ -x "$py" ] || py="$(command -v python3)"
exec "$py" "$here/run.py" "$@"
