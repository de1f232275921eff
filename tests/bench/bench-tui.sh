#!/bin/bash
# Benchmark: auptui on a generated 100,000-person school through a
# pseudo-terminal of 80x24: the first screen drawn (target under 100 ms;
# also held to it, the dashboard's counts filled in after it), a
# search keystroke redrawn (under 16 ms, median and worst of 50), resident
# memory (under 64 MiB). Figures from this one run; it fails only when
# BENCH_STRICT is set and a target is missed.
set -euo pipefail
: "${AUPTUI:?}" "${GEN_SCHOOL:?}" "${BENCH_TUI:?}"
n=${BENCH_PEOPLE:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/aupctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=${BENCH_DB:-$work/school.db}
if [ ! -f "$db" ]; then
	echo "generating a school of $n people in $db ..."
	"$GEN_SCHOOL" "$db" "$n"
fi
export AUPCTL_CONFIG=
. "$(dirname "$0")/bench-lib.sh"

# Three runs; the median of each figure.
for i in 1 2 3; do
	"$BENCH_TUI" "$AUPTUI" "$db" >"$work/run$i"
done
figure() {
	cat "$work"/run* | awk -v k="$1" '$1 == k { print $2 }' | sort -n | sed -n 2p
}
verdict "auptui first screen" "$(figure first-screen-ms)" 100 ms
verdict "auptui dashboard counts filled in" "$(figure counts-ms)" 100 ms
verdict "auptui search keystroke, median of 50" \
	"$(figure search-key-median-ms)" 16 ms
verdict "auptui search keystroke, worst of 50" \
	"$(figure search-key-worst-ms)" 16 ms
verdict "auptui resident memory" "$(figure resident-mib)" 64 MiB
[ "$missed" = 0 ] || [ -z "${BENCH_STRICT:-}" ]
