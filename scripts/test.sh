#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine of this kind.
# Installs what the tests need (npm packages such as Azurite), checks the preinstalled Pub/Sub emulator,
# builds the solution once, then runs each test project in turn (2 cores: sequential is faster than contended).
# Prints one closing line "tests: N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '[test] %s\n' "$*"; }

command -v dotnet >/dev/null || { echo "test: dotnet SDK not found on PATH" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "test: node/npm not found (needed for Azurite)" >&2; exit 2; }
command -v gcloud >/dev/null || { echo "test: gcloud not found (the Pub/Sub emulator ships with it)" >&2; exit 2; }
sdk_root=$(gcloud info --format='value(installation.sdk_root)' 2>/dev/null || true)
if [ -n "$sdk_root" ] && [ ! -d "$sdk_root/platform/pubsub-emulator" ]; then
  echo "test: the gcloud Pub/Sub emulator component is missing under $sdk_root/platform" >&2; exit 2
fi

# The ops console tests drive Debian's Chromium through Playwright (which cannot download its own browsers here).
if ! command -v chromium >/dev/null; then
  log "apt-get install chromium (browser for the ops console tests)"
  if [ "$(id -u)" -ne 0 ]; then echo "test: chromium is missing; install it as root: apt-get install -y chromium" >&2; exit 2; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
    || { echo "test: apt-get could not install chromium" >&2; exit 2; }
fi

log "npm install (pinned in package.json)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi

# Every test project must be in the solution, or the build below would silently skip it.
for proj in $(find tests -name '*.Tests.csproj' | sort); do
  grep -q "$(basename "$proj")" EccoStudio.sln || { echo "test: $proj is not in EccoStudio.sln" >&2; exit 2; }
done

log "dotnet build"
dotnet build EccoStudio.sln -c Release -nologo -v:minimal -clp:ErrorsOnly

results="$root/TestResults"
rm -rf "$results"; mkdir -p "$results"
status=0
filter=${TEST_FILTER:-}
for proj in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$proj" .csproj)
  log "dotnet test $name"
  args=(test "$proj" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results")
  [ -n "$filter" ] && args+=(--filter "$filter")
  if ! dotnet "${args[@]}"; then status=1; fi
done

py=0
(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
) || py=$?
[ "$status" -eq 0 ] && [ "${py:-0}" -eq 0 ]
