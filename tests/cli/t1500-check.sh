#!/bin/bash
# The nightly check for cron: exit 0 and one quiet line when all is well,
# exit 1 and a readable report when something needs attention.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	printf "[password.staff]\nmax_age_days = 90\nwarn_days = 14\n" >c.ini &&
	export AUPCTL_CONFIG=$TRASH/c.ini &&
	at "2030-01-01 09:00:00" aupctl init --school R &&
	echo "maple-otter-cloud-42" | at "2030-01-01 09:00:00" aupctl user add \
		--role staff --first Amy --last Smith --password-stdin &&
	echo "river-paper-swan-17" | at "2030-02-01 09:00:00" aupctl user add \
		--role staff --first Bob --last Jones --password-stdin &&
	at "2030-02-01 09:00:00" aupctl user add --role governor --first Gil \
		--last Moss &&
	for u in asmith bjones gmoss; do
		at "2030-02-01 09:00:00" aupctl -q aup sign $u || return 1
	done
'
export AUPCTL_CONFIG=$TRASH/c.ini

test_expect_success 'all well: exit 0, one line, silent with -q' '
	at "2030-02-02 09:00:00" aupctl check >out &&
	echo "nothing needs attention" >expect &&
	test_cmp expect out &&
	at "2030-02-02 09:00:00" aupctl -q check >out &&
	test_line_count = 0 out
'

test_expect_success 'expired and expiring passwords: exit 1, a report' '
	test_expect_code 1 at "2030-04-20 09:00:00" aupctl check >out &&
	grep "^Expired passwords (1):" out &&
	grep "^password-expired  *asmith  *Amy  *Smith  *since 2030-04-01" out &&
	grep "^Passwords expiring soon (1):" out &&
	grep "^password-expiring  *bjones  *Bob  *Jones  *on 2030-05-02" out
'

test_expect_success 'machine formats put every finding in one table' '
	test_expect_code 1 at "2030-04-20 09:00:00" aupctl --format csv check >out &&
	cat >expect <<-\EOF &&
	issue,username,first,last,detail
	password-expired,asmith,Amy,Smith,since 2030-04-01
	password-expiring,bjones,Bob,Jones,on 2030-05-02
	EOF
	test_cmp expect out
'

test_expect_success 'ended suspensions are reported, and lifted with --mark' '
	at "2030-04-20 09:00:00" aupctl user suspend gmoss --reason x --until 2030-04-25 &&
	test_expect_code 1 at "2030-04-26 09:00:00" aupctl --format csv check >out &&
	grep "^suspension-over,gmoss,Gil,Moss,ended 2030-04-25T00:00:00+00:00$" out &&
	test_expect_code 1 at "2030-04-26 09:00:00" aupctl check --mark >out &&
	grep "now lifted" out &&
	aupctl --format csv user show gmoss | grep -q ",active,,," &&
	aupctl --format csv log --user gmoss | grep -q user.reactivate
'

test_expect_success 'check --mark marks expired passwords must-change' '
	aupctl --format csv user show asmith | grep -q ",true,0,"
'

test_expect_success 'check --mark again: nothing changed, so nothing "now marked"' '
	test_expect_code 1 at "2030-04-27 09:00:00" aupctl check --mark >out &&
	grep "^Expired passwords (1):" out &&
	! grep "now marked" out &&
	! grep "now lifted" out &&
	test "$(aupctl --format csv log | grep -c password.expire)" = 1
'

test_expect_success 'check anchors the log head beside the database' '
	test_expect_code 1 at "2030-04-27 09:00:00" aupctl check >/dev/null &&
	test "$(stat -c %a "$AUPCTL_DB.anchor")" = 600 &&
	head=$(python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
print(c.execute(\"SELECT value FROM meta WHERE key=\x27log_head\x27\").fetchone()[0])") &&
	tail -1 "$AUPCTL_DB.anchor" >last &&
	grep -x "anchor $head 2030-04-2[67]T09:0[0-9]:[0-9][0-9]Z" last &&
	lines=$(wc -l <"$AUPCTL_DB.anchor") &&
	test_expect_code 1 at "2030-04-27 10:00:00" aupctl check >/dev/null &&
	test "$(wc -l <"$AUPCTL_DB.anchor")" = "$lines"
'

test_expect_success '[log] anchor puts the anchors where it says' '
	printf "[log]\nanchor = %s/elsewhere.anchor\n" "$TRASH" >>c.ini &&
	test_expect_code 1 at "2030-04-27 09:00:00" aupctl check >/dev/null &&
	grep "^anchor " elsewhere.anchor &&
	aupctl log --verify &&
	head -n -2 c.ini >c2.ini && mv c2.ini c.ini &&
	! grep "^\[log\]" c.ini
'

test_expect_success 'a log cut after the anchor: log --verify and check say so' '
	cp "$AUPCTL_DB" keep.db &&
	test_when_finished "cp keep.db \"$AUPCTL_DB\"" &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
last = c.execute(\"SELECT max(id) FROM audit_log\").fetchone()[0]
c.execute(\"DELETE FROM audit_values WHERE entry_id=?\", (last,))
c.execute(\"DELETE FROM audit_log WHERE id=?\", (last,))
c.execute(\"UPDATE meta SET value=(SELECT id || \x27 \x27 || hash FROM audit_log WHERE id=?) WHERE key=\x27log_head\x27\", (last-1,))
c.commit()" &&
	test_expect_code 1 aupctl log --verify 2>err &&
	grep "entry 10 was anchored on 2030-04-26T09:0[0-9]:[0-9][0-9]Z: it was cut short" err &&
	anchors=$(wc -l <"$AUPCTL_DB.anchor") &&
	test_expect_code 1 at "2030-04-28 09:00:00" aupctl check >out &&
	grep "^The database failed its check" out &&
	grep "^audit log: *the log ends at entry" out &&
	test "$(wc -l <"$AUPCTL_DB.anchor")" = "$anchors"
'

# The nightly check verifies the chain from its last anchor on (its time
# grows with a day's changes); log --verify and db check walk all of it.
test_expect_success 'a changed entry since the last anchor reaches the nightly mail, named' '
	cp "$AUPCTL_DB" keep.db &&
	test_when_finished "cp keep.db \"$AUPCTL_DB\"" &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
c.execute(\"UPDATE audit_log SET operator=\x27x\x27 WHERE id=(SELECT max(id) FROM audit_log)\"); c.commit()" &&
	last=$(python3 -c "import sqlite3; print(sqlite3.connect(\"$AUPCTL_DB\").execute(\"SELECT max(id) FROM audit_log\").fetchone()[0])") &&
	test_expect_code 1 at "2030-04-28 09:00:00" aupctl -q check >out &&
	grep "^audit log: *entry $last was changed" out &&
	test_expect_code 1 at "2030-04-28 09:00:00" aupctl --format csv check >out &&
	grep "^audit-log,,,,entry $last was changed" out
'

test_expect_success 'an auditor may run check but not check --mark' '
	aupctl -q operator set boss admin &&
	aupctl -q operator set "$(id -un)" auditor &&
	test_expect_code 1 at "2030-04-26 09:00:00" aupctl --config c.ini check &&
	test_expect_code 77 at "2030-04-26 09:00:00" aupctl --config c.ini check --mark
'

test_done
