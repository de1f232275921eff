#!/bin/bash
# The audit log: every change appears with who did it; --verify notices an
# entry edited or removed behind aupctl's back.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	aupctl init --school "Riverside Primary" &&
	aupctl user add --role staff --first Amy --last Smith &&
	aupctl user add --role pupil --first Ben --last Ng --year 4 --username ben.ng &&
	aupctl user edit asmith --email amy@riverside.example &&
	aupctl user suspend asmith --reason "left her badge" &&
	aupctl user reactivate asmith
'

test_expect_success 'the log shows every change in order' '
	aupctl --format csv log | sed 1d | cut -d, -f4,5 >out &&
	cat >expect <<-\EOF &&
	db.init,
	user.add,asmith
	user.add,ben.ng
	user.edit,asmith
	user.suspend,asmith
	user.reactivate,asmith
	EOF
	test_cmp expect out
' 

test_expect_success 'the operator is the Unix login name' '
	me=$(id -un) &&
	aupctl --format csv log | sed 1d | cut -d, -f3 | sort -u >out &&
	echo "$me" >expect &&
	test_cmp expect out
'

# SUDO_USER as the operator: t0510-deploy.sh (a run under sudo reads only
# /etc/aupctl/aupctl.ini, which that file gives it).

test_expect_success '--user and --since narrow the log' '
	aupctl --format csv log --user ben.ng | sed 1d | cut -d, -f4 >out &&
	echo user.add >expect &&
	test_cmp expect out &&
	aupctl --format csv log --since 2999-01-01 | sed 1d >out &&
	test_line_count = 0 out
'

test_expect_success 'log --verify passes on an untouched log' '
	aupctl log --verify >out &&
	grep "chain intact" out
'

test_expect_success 'personal values are kept out of the chained entries' '
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
rows=c.execute(\"SELECT * FROM audit_log\").fetchall()
text=repr(rows)
for v in (\"Amy\", \"Smith\", \"asmith\", \"amy@\", \"badge\", \"ben.ng\"):
    assert v not in text, v
held=[r[0] for r in c.execute(\"SELECT value FROM audit_values\")]
assert \"left her badge\" in held and \"asmith\" in held, held"
'

test_expect_success '--format json log nests before and after as objects' '
	aupctl --format json log >log.json &&
	python3 -c "
import json; log=json.load(open(\"log.json\"))
e=[x for x in log if x[\"action\"]==\"user.suspend\"][0]
assert e[\"after\"]=={\"status\":\"suspended\",\"reason\":\"left her badge\"}, e
assert e[\"before\"]=={\"status\":\"active\",\"reason\":None}, e
assert e[\"user\"]==\"asmith\" and e[\"purged\"] is False, e
a=[x for x in log if x[\"action\"]==\"user.add\"][0]
assert a[\"before\"] is None and a[\"after\"][\"first\"]==\"Amy\", a"
'

# Put back the untouched database, then run SQL on it behind aupctl's back
# (SQL's quotes written as " inside the tests' single quotes).
tamper() {
	cp good.db "$AUPCTL_DB" && rm -f "$AUPCTL_DB-wal" "$AUPCTL_DB-shm" &&
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(sys.argv[2].replace(chr(34), chr(39)))
c.commit()' "$AUPCTL_DB" "$1"
}

test_expect_success 'log --verify notices an edited entry (exit 1)' '
	cp "$AUPCTL_DB" good.db &&
	tamper "UPDATE audit_log
		SET after = replace(after, \"suspended\", \"left\")
		WHERE action = \"user.suspend\"" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 5 was changed" err
'

test_expect_success 'log --verify notices an edited personal value (exit 1)' '
	tamper "UPDATE audit_values SET value = \"lost her pass\"
		WHERE value = \"left her badge\"" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 5.s after.reason was changed" err
'

test_expect_success 'log --verify notices a value deleted outside a purge' '
	tamper "DELETE FROM audit_values WHERE value = \"left her badge\"" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 5 has lost or gained a personal value outside a purge" err
'

test_expect_success 'log --verify notices a deleted entry' '
	tamper "DELETE FROM audit_log WHERE id = 3" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 3 is missing" err
'

test_expect_success 'log --verify notices the newest entry removed' '
	tamper "DELETE FROM audit_log
		WHERE id = (SELECT max(id) FROM audit_log)" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "newest entries were removed" err
'

test_expect_success 'a password never reaches the log' '
	cp good.db "$AUPCTL_DB" && rm -f "$AUPCTL_DB-wal" "$AUPCTL_DB-shm" &&
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Cy \
		--last Day --password-stdin &&
	echo "river-paper-swan-17" | aupctl password set cday --password-stdin &&
	aupctl --format csv log >out &&
	grep "password.set" out &&
	! grep -e maple-otter -e river-paper -e argon2 out
'

test_done
