#!/usr/bin/env bash
# The black-box tests again, against the frozen helper: the files below speak to the
# helper only over its pipes (tests/hostproc.py HostProcess), so CREDIT_GUARD_HELPER_COMMAND
# swaps `python -m native_host` for the frozen binary; the few tests that wrap the
# helper's Python modules skip themselves. tests/test_build_host.py checks the CLI and the
# keyring frozen. About half a minute on 2 vCPUs, after the build.
# Uses the build named in CREDIT_GUARD_FROZEN_HELPER (CI builds it once, .ci/run), else
# builds one into dist/. Usage: bash build_scripts/test_frozen.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh test
if [ -z "${CREDIT_GUARD_FROZEN_HELPER:-}" ]; then
  bash build_scripts/build_host.sh dist
  CREDIT_GUARD_FROZEN_HELPER="$PWD/dist/credit-guard/credit-guard"
fi
export CREDIT_GUARD_FROZEN_HELPER CREDIT_GUARD_HELPER_COMMAND="$CREDIT_GUARD_FROZEN_HELPER"
black_box=(tests/test_host.py tests/test_host_tally.py tests/test_durability.py tests/test_build_host.py)
echo "== pytest, the frozen helper: $CREDIT_GUARD_HELPER_COMMAND"
set +e
.venv/bin/pytest "${black_box[@]}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  status=1
fi
exit "$status"
