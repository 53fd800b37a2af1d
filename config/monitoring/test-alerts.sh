#!/usr/bin/env bash
# Unit tests of the alert rules with Prometheus's own rule tester: bash config/monitoring/test-alerts.sh
# Needs promtool (in the prometheus package or release tarball); not part of `mvn -B verify`, which cannot run it.
# promtool compares an alert's annotations exactly, so the cases in alerts-test.yml are run against a copy of
# alerts.yml without them: the cases test when each rule fires and with which labels, not its wording.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Drops every "annotations:" block: its lines are indented deeper than the key itself.
awk '
  /^[[:space:]]*annotations:[[:space:]]*$/ { match($0, /^[[:space:]]*/); skip = RLENGTH; next }
  skip { match($0, /^[[:space:]]*/); if (RLENGTH > skip || $0 ~ /^[[:space:]]*$/) next; skip = 0 }
  { print }
' "$here/alerts.yml" > "$work/alerts.yml"
cp "$here/alerts-test.yml" "$work/alerts-test.yml"
promtool check rules "$here/alerts.yml"
promtool test rules "$work/alerts-test.yml"
