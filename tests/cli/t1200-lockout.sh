#!/bin/bash
# Lockout: lockout_attempts failures in a row lock the account for
# lockout_minutes, even against the right password; the lock lifts by
# itself; failures are counted, not logged one by one.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	printf "[password]\nlockout_attempts = 3\nlockout_minutes = 10\n" >lock.ini &&
	at "2030-01-01 09:00:00" aupctl --config lock.ini init --school R &&
	echo "maple-otter-cloud-42" | at "2030-01-01 09:00:00" aupctl \
		--config lock.ini user add --role staff --first Amy --last Smith \
		--password-stdin
'
export AUPCTL_CONFIG=$TRASH/lock.ini

test_expect_success 'three failures lock even the right password' '
	printf "asmith a\nasmith b\nasmith c\nasmith maple-otter-cloud-42\n" |
		at "2030-01-01 10:00:00" aupctl auth >out &&
	cat >expect <<-\EOF &&
	ERR message="wrong username or password"
	ERR message="wrong username or password"
	ERR message="account locked after too many failed logins; try later"
	ERR message="account locked after too many failed logins; try later"
	EOF
	test_cmp expect out
'

test_expect_success 'still locked nine minutes later' '
	echo "asmith maple-otter-cloud-42" | at "2030-01-01 10:09:00" aupctl auth >out &&
	grep "account locked" out &&
	at "2030-01-01 10:09:00" aupctl user show asmith >show &&
	grep "^locked_until  *2030-01-01 10:10:0[0-9]$" show
'

test_expect_success 'the lock lifts by itself after lockout_minutes' '
	echo "asmith maple-otter-cloud-42" | at "2030-01-01 10:11:00" aupctl auth >out &&
	echo OK >expect && test_cmp expect out
'

test_expect_success 'a success resets the count' '
	printf "asmith a\nasmith b\nasmith maple-otter-cloud-42\nasmith c\nasmith maple-otter-cloud-42\n" |
		at "2030-01-01 11:00:00" aupctl auth >out &&
	cat >expect <<-\EOF &&
	ERR message="wrong username or password"
	ERR message="wrong username or password"
	OK
	ERR message="wrong username or password"
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'failures are counted, not logged one by one' '
	aupctl --format csv log | cut -d, -f4 | sed 1d | sort | uniq -c |
		sed "s/^ *//" >out &&
	cat >expect <<-\EOF &&
	1 auth.lock
	1 db.init
	1 user.add
	EOF
	test_cmp expect out &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
ok, failed = c.execute(\"SELECT sum(ok), sum(failed) FROM auth_counts\").fetchone()
assert (ok, failed) == (3, 6), (ok, failed)"
'

test_expect_success 'check lists an account locked now' '
	printf "asmith a\nasmith b\nasmith c\n" | at "2030-01-02 09:00:00" aupctl auth >/dev/null &&
	test_expect_code 1 at "2030-01-02 09:01:00" aupctl --format csv check >out &&
	grep "^locked,asmith,Amy,Smith,until 2030-01-02T09:10:0[0-9]+00:00$" out
'

test_done
