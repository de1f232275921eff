#!/bin/bash
# gen-school makes the school it says it made: 2,000 people whose counts
# (roles, statuses, passwords, expired and locked) agree with what aupctl
# finds in the database, with the audit log whole. No timing is asserted.
set -euo pipefail
: "${AUPCTL:?}" "${GEN_SCHOOL:?}"
export AUPCTL_DATADIR AUPCTL_CONFIG=
dir=$(mktemp -d /tmp/aup-gen-school.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export AUPCTL_DB=$dir/school.db
"$GEN_SCHOOL" "$AUPCTL_DB" 2000 >"$dir/out"
cat "$dir/out"
failed=0

said() { sed -n "s/^count $1 //p" "$dir/out"; }
# found NAME COMMAND...: data rows COMMAND prints as CSV (exit 1 means
# "something needs attention" and is not a failure here).
found() {
	local rc=0
	"$AUPCTL" --format csv "$@" >"$dir/csv" || rc=$?
	[ "$rc" -le 1 ] || { echo "aupctl $* failed ($rc)"; exit 1; }
	tail -n +2 "$dir/csv" | wc -l
}
check() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1: $3"
	else
		echo "not ok - $1: gen-school says '$2', the database has '$3'"
		failed=1
	fi
}

check "people" 2000 "$(found user list)"
check "people counted" 2000 "$(said people)"
for role in pupil staff governor volunteer visitor class; do
	check "role $role" "$(said "$role")" "$(found user list --role "$role")"
done
for status in active suspended leaving left; do
	check "status $status" "$(said "$status")" \
		"$(found user list --status "$status")"
done
[ "$(said pupil)" -ge 1850 ] || { echo "not ok - about 95% pupils"; failed=1; }
found check >/dev/null
check "expired" "$(said pw-expired)" "$(grep -c '^password-expired,' "$dir/csv" || true)"
check "expiring" "$(said pw-expiring)" "$(grep -c '^password-expiring,' "$dir/csv" || true)"
check "locked" "$(said locked)" "$(grep -c '^locked,' "$dir/csv" || true)"
check "passwords" "$(said passwords)" "$(python3 - "$AUPCTL_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM users WHERE pw_hash IS NOT NULL").fetchone()[0])
PY
)"
for k in pupil staff passwords suspended left locked pw-expired pw-expiring; do
	[ "$(said "$k")" -gt 0 ] || { echo "not ok - no $k at all"; failed=1; }
done
"$AUPCTL" db check >"$dir/check" || { cat "$dir/check"; failed=1; }
# The same people every run.
"$GEN_SCHOOL" "$dir/again.db" 2000 >/dev/null
AUPCTL_DB=$dir/again.db "$AUPCTL" --format csv user list >"$dir/again.csv"
"$AUPCTL" --format csv user list >"$dir/first.csv"
cmp -s "$dir/first.csv" "$dir/again.csv" || {
	echo "not ok - a second run made different people"; failed=1; }
exit $failed
