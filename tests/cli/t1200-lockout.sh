#!/bin/bash
# Failed logins: after lockout_attempts failures in a row each further try
# waits, lockout_minutes / 32 at first, doubling up to lockout_minutes; a
# waiting account answers with the words and in the time of a wrong password;
# the office sees the reason (user show, check, the log) and lifts it with
# user unlock; failures are counted, not logged one by one.
. "$(dirname "$0")/test-lib.sh"

PW=maple-otter-cloud-42
ERR_BAD='ERR message="wrong username or password, or too many tries; wait and try again"'

# frozen TIME COMMAND...: run COMMAND with the clock stopped at TIME, so
# that waits can be checked to the second however long Argon2 takes.
frozen() {
	when=$1
	shift
	faketime -f "$when" "$@"
}

# The end of USER's wait, to the second, as stored.
locked_until() {
	python3 -c "
import sqlite3, sys, datetime
c = sqlite3.connect(sys.argv[1])
t = c.execute('SELECT locked_until FROM users WHERE username = ?',
    (sys.argv[2],)).fetchone()[0]
print(datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    .strftime('%H:%M:%S') if t else '')" "$AUPCTL_DB" "$1"
}

# show_field USER FIELD: one field of user show.
show_field() {
	aupctl --format csv user show "$1" >show.csv &&
	awk -F, -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[f] }' show.csv
}

test_expect_success 'setup' '
	printf "[password]\nlockout_attempts = 3\nlockout_minutes = 10\nmax_age_days = 0\n" >lock.ini &&
	at "2030-01-01 09:00:00" aupctl --config lock.ini init --school R &&
	echo "$PW" | at "2030-01-01 09:00:00" aupctl \
		--config lock.ini user add --role staff --first Amy --last Smith \
		--password-stdin
'
export AUPCTL_CONFIG=$TRASH/lock.ini

test_expect_success 'the third failure starts a wait; it refuses even the right password, in the same words' '
	printf "asmith a\nasmith b\nasmith c\nasmith %s\nnobody %s\n" "$PW" "$PW" |
		frozen "2030-01-01 10:00:00" aupctl auth >out &&
	for i in 1 2 3 4 5; do echo "$ERR_BAD"; done >expect &&
	test_cmp expect out &&
	locked_until asmith >out &&
	echo 10:00:19 >expect &&
	test_cmp expect out
'

test_expect_success 'tries while waiting are neither checked nor counted' '
	printf "asmith a\nasmith %s\n" "$PW" |
		frozen "2030-01-01 10:00:10" aupctl auth >out &&
	printf "%s\n%s\n" "$ERR_BAD" "$ERR_BAD" >expect &&
	test_cmp expect out &&
	show_field asmith failed_logins >out &&
	echo 3 >expect &&
	test_cmp expect out
'

test_expect_success 'each failure after a wait doubles it, up to lockout_minutes' '
	t=19 &&
	for want in 10:00:57 10:02:13 10:04:45 10:09:49 10:19:49 10:29:49; do
		frozen "2030-01-01 $(date -u -d "@$t" +%H:%M:%S |
			sed "s/^00/10/")" aupctl auth <<-EOF >/dev/null &&
		asmith wrong
		EOF
		locked_until asmith >out &&
		echo "$want" >expect &&
		test_cmp expect out || return 1
		t=$(( $(date -u -d "1970-01-01 $want" +%s) - 36000 ))
	done
'

test_expect_success 'the office sees the reason: user show, check and the log' '
	at "2030-01-01 10:20:00" aupctl --format csv user show asmith >show.csv &&
	grep ",9,2030-01-01T10:29:[0-9][0-9]+00:00," show.csv &&
	test_expect_code 1 at "2030-01-01 10:20:00" aupctl --format csv check >out &&
	grep "^locked,asmith,Amy,Smith,until 2030-01-01T10:29:[0-9][0-9]+00:00$" out &&
	aupctl --format tsv log --user asmith | cut -f4,7 | sed 1d |
		sed "s/:[0-9][0-9]+00:00\"/\"/g" >out &&
	cat >expect <<-\EOF &&
	user.add	{"username":"asmith","role":"staff","first":"Amy","last":"Smith"}
	auth.throttle	{"locked_until":"2030-01-01T10:00","failures":3}
	auth.lock	{"locked_until":"2030-01-01T10:19","failures":8}
	EOF
	test_cmp expect out
'

test_expect_success 'the wait lifts by itself; a success resets the count' '
	printf "asmith %s\nasmith a\nasmith b\nasmith %s\n" "$PW" "$PW" |
		at "2030-01-01 10:30:00" aupctl auth >out &&
	printf "OK\n%s\n%s\nOK\n" "$ERR_BAD" "$ERR_BAD" >expect &&
	test_cmp expect out &&
	show_field asmith failed_logins >out &&
	echo 0 >expect &&
	test_cmp expect out
'

test_expect_success 'user unlock lifts the wait at once, and is logged' '
	printf "asmith a\nasmith b\nasmith c\n" | at "2030-01-01 11:00:00" aupctl auth >/dev/null &&
	at "2030-01-01 11:00:05" aupctl user unlock asmith >out &&
	echo "unlocked asmith" >expect &&
	test_cmp expect out &&
	echo "asmith $PW" | at "2030-01-01 11:00:05" aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out &&
	aupctl --format tsv log --user asmith | cut -f4,6 | tail -n 1 |
		sed "s/:[0-9][0-9]+00:00\"/\"/g" >out &&
	printf "user.unlock\t%s\n" "{\"failures\":3,\"locked_until\":\"2030-01-01T11:00\"}" >expect &&
	test_cmp expect out
'

test_expect_success 'user unlock: nothing to lift says so; no such user exits 67' '
	aupctl --format csv log | wc -l >before &&
	aupctl user unlock asmith >out &&
	echo "asmith was not locked" >expect &&
	test_cmp expect out &&
	aupctl --format csv log | wc -l >after &&
	test_cmp before after &&
	test_expect_code 67 aupctl user unlock nobody 2>err &&
	grep "no such user: nobody" err
'

test_expect_success 'user unlock is for office and up: an auditor gets 77' '
	printf "asmith a\nasmith b\nasmith c\n" | aupctl auth >/dev/null &&
	test_db_as auditor auditor.db &&
	test_db_as office office.db &&
	test_expect_code 77 env AUPCTL_DB="$PWD/auditor.db" aupctl user unlock asmith &&
	AUPCTL_DB="$PWD/office.db" aupctl user unlock asmith >out &&
	echo "unlocked asmith" >expect &&
	test_cmp expect out
'

test_expect_success 'every try is counted for the day, not logged one by one' '
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
ok, failed = c.execute(\"SELECT sum(ok), sum(failed) FROM auth_counts\").fetchone()
assert (ok, failed) == (3, 20), (ok, failed)" &&
	aupctl --format csv log | cut -d, -f4 | sed 1d | sort | uniq -c |
		sed "s/^ *//" >out &&
	cat >expect <<-\EOF &&
	1 auth.lock
	3 auth.throttle
	1 db.init
	1 user.add
	1 user.unlock
	EOF
	test_cmp expect out
'

# Where there is no real hash to check (an unknown name, a throttled
# account), a dummy one of the same cost is: at the default Argon2 cost,
# each kind of refusal takes about as long as a wrong password (a refusal
# that checked nothing would take a small part of it).
test_expect_success 'a throttled, an unknown and a wrong answer take the same time' '
	printf "[password]\nlockout_attempts = 3\nlockout_minutes = 600\nmax_age_days = 0\n[password.governor]\nlockout_attempts = 0\n" >slow.ini &&
	echo "$PW" | aupctl --config slow.ini user add --role staff --first Tim \
		--last Lock --password-stdin &&
	echo "$PW" | aupctl --config slow.ini user add --role governor \
		--first Gus --last Wrong --password-stdin &&
	printf "tlock a\ntlock b\ntlock c\n" | aupctl --config slow.ini auth >/dev/null &&
	ms() {
		start=$(date +%s%N) &&
		seq 12 | sed "s/.*/$1 not-it/" |
			aupctl --config slow.ini auth >/dev/null &&
		echo $(( ($(date +%s%N) - start) / 1000000 ))
	} &&
	wrong=$(ms gwrong) && locked=$(ms tlock) && unknown=$(ms nobody) &&
	say "twelve answers: wrong $wrong ms, throttled $locked ms, unknown $unknown ms" &&
	test $(( locked * 2 )) -ge "$wrong" &&
	test $(( unknown * 2 )) -ge "$wrong"
'

test_done
