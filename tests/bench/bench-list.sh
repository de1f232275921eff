#!/bin/bash
# Benchmark: whole aupctl processes on a generated 100,000-person school:
# user list --search, check and password expired (target under 100 ms
# each), and the whole list as CSV (peak memory under 16 MiB, time at most
# 2 x sqlite3 -csv of the same columns). Figures from this one run; it
# fails only when BENCH_STRICT is set and a target is missed.
set -euo pipefail
: "${AUPCTL:?}" "${GEN_SCHOOL:?}" "${BENCH_QUERY:?}"
n=${BENCH_PEOPLE:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/aupctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=${BENCH_DB:-$work/school.db}
if [ ! -f "$db" ]; then
	echo "generating a school of $n people in $db ..."
	"$GEN_SCHOOL" "$db" "$n"
fi
export AUPCTL_DB=$db AUPCTL_CONFIG=
. "$(dirname "$0")/bench-lib.sh"



"$BENCH_QUERY" "$db"
echo
for term in smith sian "o'n" kowal ev zo; do
	verdict "aupctl user list --search $term" \
		"$(ms "$AUPCTL" user list --search "$term")" 100 ms
done
verdict "aupctl check" "$(ms "$AUPCTL" check)" 100 ms
verdict "aupctl password expired" "$(ms "$AUPCTL" password expired)" 100 ms

# The whole list as CSV against sqlite3 reading the same columns.
cols="id, username, first_name, last_name, role, year_group, class, status"
a=$(ms "$AUPCTL" --format csv user list)
b=$(ms sqlite3 -csv "$db" "SELECT $cols FROM users ORDER BY sort_key, id")
rows=$("$AUPCTL" --format csv user list | wc -l)
echo "csv list: $((rows - 1)) rows; aupctl $a ms, sqlite3 -csv $b ms"
verdict "csv list, aupctl / sqlite3 -csv" \
	"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" 2 x
kib=$( { /usr/bin/time -f %M "$AUPCTL" --format csv user list >/dev/null; } 2>&1 | tail -1)
verdict "csv list, peak memory" "$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')" 16 MiB
[ -z "${BENCH_STRICT:-}" ] || exit $missed
