#!/usr/bin/env bash
# Nu Html Checker over the given HTML files and/or directories (directories are
# searched for HTML documents). Prints errors only, one per line; exit status
# 0 = valid, 1 = errors found, 2 = the checker could not run.
#
#   bash tests/tools/vnu.sh public/            # a built site
#   bash tests/tools/vnu.sh a.html b.html
#
# The jar comes from the npm package vnu-jar (scripts/test.sh installs it).
# tests/html_checks.rs runs the same command with the same flags.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="${VNU_JAR:-$root/node_modules/vnu-jar/build/dist/vnu.jar}"
java="${JAVA:-java}"

if [ "$#" -eq 0 ]; then
  echo "usage: bash tests/tools/vnu.sh FILE_OR_DIR..." >&2
  exit 2
fi
if ! command -v "$java" >/dev/null 2>&1; then
  echo "vnu.sh: no java on PATH; run scripts/test.sh (installs a JRE)" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  echo "vnu.sh: $jar is missing; run scripts/test.sh (or npm ci)" >&2
  exit 2
fi
exec "$java" -Xss2m -jar "$jar" --errors-only --skip-non-html --format text "$@"
