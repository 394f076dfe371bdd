#!/usr/bin/env bash
# Seeds the demo data set into a running stack and prints the demo credentials as KEY=value lines on stdout
# (./dev up appends them to .dev/demo.env). Progress and problems go to stderr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

for part in seed-likepion.sh demo-tokens.sh; do
  if [[ -x "$here/$part" ]]; then
    "$here/$part" || { echo "seed-demo: $part failed" >&2; exit 1; }
  fi
done
