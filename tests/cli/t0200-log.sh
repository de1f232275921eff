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

test_expect_success ROOT 'SUDO_USER names the operator under sudo' '
	SUDO_USER=mrsbell aupctl user edit asmith --class 3A &&
	aupctl --format csv log | tail -1 | cut -d, -f3 >out &&
	echo mrsbell >expect &&
	test_cmp expect out
'

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

test_expect_success 'log --verify notices an edited entry (exit 1)' '
	cp "$AUPCTL_DB" good.db &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
c.execute(\"UPDATE audit_log SET after = replace(after, \x27badge\x27, \x27pass\x27) WHERE action = \x27user.suspend\x27\")
c.commit()" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 5 was changed" err
'

test_expect_success 'log --verify notices a deleted entry' '
	cp good.db "$AUPCTL_DB" && rm -f "$AUPCTL_DB-wal" "$AUPCTL_DB-shm" &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
c.execute(\"DELETE FROM audit_log WHERE id = 3\"); c.commit()" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 3 is missing" err
'

test_expect_success 'log --verify notices the newest entry removed' '
	cp good.db "$AUPCTL_DB" && rm -f "$AUPCTL_DB-wal" "$AUPCTL_DB-shm" &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
c.execute(\"DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)\"); c.commit()" &&
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
