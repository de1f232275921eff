#!/bin/bash
# aupctl auth as a squid basic authentication helper: one answer a request
# line, flushed; URL-encoded fields; concurrency channel ids echoed; BH for
# what cannot be parsed (a NUL byte too); suspension and password expiry
# refused with their own message, a throttled account with the words of a
# wrong password; the client address from key_extras; failures counted, not
# logged one by one; no clear-text password ever stored; refused at the start
# without the auth role; not dumpable.
. "$(dirname "$0")/test-lib.sh"

PW=maple-otter-cloud-42
# A password with a space and a per cent sign, and how squid sends it.
PW2="maple otter%cloud 42"
PW2_ENC="maple%20otter%25cloud%2042"

ERR_BAD='ERR message="wrong username or password, or too many tries; wait and try again"'
# A throttled account answers as a wrong password does.
ERR_LOCKED=$ERR_BAD
ERR_INACTIVE='ERR message="account not active; see the school office"'
ERR_EXPIRED='ERR message="password expired; ask for a new one"'
BH_MALFORMED="BH message=\"malformed request: expected 'user password'\""
BH_LONG='BH message="request too long"'

# A throttle after 3 failures: 18 s (10 minutes / 32), doubling up to 10
# minutes; passwords never expire, so that the clock can be moved freely.
cat >"$TRASH/lock.ini" <<EOF
[password.staff]
lockout_attempts = 3
lockout_minutes = 10
max_age_days = 0
EOF

# Staff passwords expire after 30 days.
cat >"$TRASH/expire.ini" <<EOF
[password.staff]
max_age_days = 30
EOF

test_expect_success 'setup: a school with two members of staff' '
	aupctl init --school "Riverside Primary" &&
	echo "$PW" | aupctl user add --role staff --first Amy --last Smith \
		--password-stdin >out &&
	echo "added asmith: Amy Smith (staff)" >expect &&
	test_cmp expect out &&
	echo "$PW2" | aupctl user add --role staff --first Ben --last Jones \
		--password-stdin >out &&
	echo "added bjones: Ben Jones (staff)" >expect &&
	test_cmp expect out
'

test_expect_success 'the right password answers OK' '
	echo "asmith $PW" | aupctl auth >out 2>err &&
	echo OK >expect &&
	test_cmp expect out &&
	test ! -s err &&
	echo "asmith $PW" | aupctl auth --protocol squid >out &&
	test_cmp expect out
'

test_expect_success 'a wrong password answers ERR' '
	echo "asmith $PW-" | aupctl auth >out &&
	echo "$ERR_BAD" >expect &&
	test_cmp expect out &&
	echo "asmith MAPLE-OTTER-CLOUD-42" | aupctl auth >out &&
	test_cmp expect out &&
	echo "asmith $PW" | aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown user gets the same answer as a wrong password' '
	printf "%s\n" "nobody $PW" "asmith wrong-password" "ASMITH $PW" \
		"asmith $PW" | aupctl auth >out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	$ERR_BAD
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'fields are URL-decoded (RFC 1738 %XX)' '
	printf "%s\n" "bjones $PW2_ENC" "bjones maple%20otter%25CLOUD%2042" \
		"bjones maple%20otter%25cloud%2042" "%62jones $PW2_ENC" \
		"bjones maple%2520otter%2525cloud%252042" "asmith maple%2dotter-cloud-42" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	OK
	$ERR_BAD
	OK
	OK
	$ERR_BAD
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'fields after the password (key_extras) are ignored' '
	printf "%s\n" "asmith $PW extra%20field" "bjones $PW2" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	OK
	$ERR_BAD
	EOF
	test_cmp expect out
'

test_expect_success 'a concurrency channel id is echoed before the answer' '
	echo "0 asmith $PW" | aupctl auth >out &&
	echo "0 OK" >expect &&
	test_cmp expect out &&
	echo "7 asmith nope" | aupctl auth >out &&
	echo "7 $ERR_BAD" >expect &&
	test_cmp expect out &&
	echo "3 asmith $PW" | aupctl auth >out &&
	echo "3 OK" >expect &&
	test_cmp expect out
'

test_expect_success 'requests in one pipe are answered in order, one line each' '
	printf "%s\n" "0 asmith $PW" "1 asmith wrong-password" "2 nobody x" \
		"3 bjones $PW2_ENC" "12 asmith $PW" "4 %zz x" "5 bjones $PW" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	0 OK
	1 $ERR_BAD
	2 $ERR_BAD
	3 OK
	12 OK
	4 $BH_MALFORMED
	5 $ERR_BAD
	EOF
	test_cmp expect out
'

test_expect_success 'each answer is flushed before the next request is read' '
	coproc helper { aupctl auth 2>helper.err; } &&
	to=${helper[1]} from=${helper[0]} pid=$helper_PID &&
	echo "1 asmith $PW" >&$to &&
	IFS= read -r -t 30 a <&$from &&
	echo "2 nobody x" >&$to &&
	IFS= read -r -t 30 b <&$from &&
	echo "3 asmith $PW" >&$to &&
	IFS= read -r -t 30 c <&$from &&
	eval "exec $to>&-" &&
	wait $pid &&
	printf "%s\n" "$a" "$b" "$c" >out &&
	cat >expect <<-EOF &&
	1 OK
	2 $ERR_BAD
	3 OK
	EOF
	test_cmp expect out &&
	test ! -s helper.err
'

test_expect_success 'malformed requests answer BH and the helper carries on' '
	printf "%s\n" "garbage" "" "asmith" "asmith %zz" "asmith pass%4" \
		"%g1smith $PW" "asmith $PW" | aupctl auth >out &&
	cat >expect <<-EOF &&
	$BH_MALFORMED
	$BH_MALFORMED
	$BH_MALFORMED
	$BH_MALFORMED
	$BH_MALFORMED
	$BH_MALFORMED
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'with channels, a malformed request keeps its channel' '
	printf "%s\n" "9 asmith $PW" "12 asmith%2" "0 asmith" "13 %zz x" \
		"asmith $PW" "" "5 asmith $PW" | aupctl auth >out &&
	cat >expect <<-EOF &&
	9 OK
	12 $BH_MALFORMED
	0 $BH_MALFORMED
	13 $BH_MALFORMED
	$BH_MALFORMED
	$BH_MALFORMED
	5 OK
	EOF
	test_cmp expect out
'

test_expect_success 'channels are recognised after a first request that does not tell' '
	printf "%s\n" "" "12 asmith" "5  $PW" "13 asmith $PW" "asmith $PW" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	$BH_MALFORMED
	$ERR_BAD
	5 $ERR_BAD
	13 OK
	$BH_MALFORMED
	EOF
	test_cmp expect out
'

test_expect_success 'a request longer than any sane one answers BH' '
	{
		head -c 9000 /dev/zero | tr "\0" a &&
		echo &&
		echo "asmith $PW"
	} | aupctl auth >out &&
	cat >expect <<-EOF &&
	$BH_LONG
	OK
	EOF
	test_cmp expect out &&
	{
		echo "1 asmith $PW" &&
		printf "2 asmith " && head -c 9000 /dev/zero | tr "\0" a &&
		echo &&
		echo "3 asmith $PW"
	} | aupctl auth >out &&
	cat >expect <<-EOF &&
	1 OK
	2 $BH_LONG
	3 OK
	EOF
	test_cmp expect out
'

test_expect_success 'CRLF line ends are accepted' '
	printf "asmith %s\r\nasmith x\r\n" "$PW" | aupctl auth >out &&
	printf "OK\n%s\n" "$ERR_BAD" >expect &&
	test_cmp expect out &&
	printf "0 asmith %s\r\n" "$PW" | aupctl auth >out &&
	printf "0 OK\n" >expect &&
	test_cmp expect out
'

test_expect_success 'the helper ends at EOF with exit 0, saying nothing' '
	aupctl auth </dev/null >out 2>err &&
	test ! -s out &&
	test ! -s err &&
	printf "asmith %s" "$PW" | aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown protocol is a usage error' '
	test_expect_code 64 aupctl auth --protocol ntlm </dev/null >out 2>err &&
	test ! -s out &&
	grep "^aupctl: error: unknown protocol .ntlm." err
'

test_expect_success 'a suspended user is refused as not active, then let in again' '
	aupctl user suspend bjones --reason "category B sanction" &&
	echo "bjones $PW2_ENC" | aupctl auth >out &&
	echo "4 bjones $PW2_ENC" | aupctl auth >>out &&
	cat >expect <<-EOF &&
	$ERR_INACTIVE
	4 $ERR_INACTIVE
	EOF
	test_cmp expect out &&
	echo "bjones wrong-password" | aupctl auth >out &&
	echo "$ERR_BAD" >expect &&
	test_cmp expect out &&
	aupctl user reactivate bjones &&
	echo "bjones $PW2_ENC" | aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'a refused login is neither a login nor a lockout failure' '
	echo "bjones wrong" | aupctl auth >/dev/null &&
	aupctl --format csv user show bjones >before &&
	aupctl user suspend bjones --reason "category B sanction" &&
	echo "bjones $PW2_ENC" | at "2031-01-01 10:00:00" aupctl auth >out &&
	echo "$ERR_INACTIVE" >expect &&
	test_cmp expect out &&
	aupctl --format csv user show bjones >after &&
	python3 -c "
import csv
b=list(csv.DictReader(open(\"before\")))[0]
a=list(csv.DictReader(open(\"after\")))[0]
assert a[\"last_login\"] == b[\"last_login\"], (b[\"last_login\"], a[\"last_login\"])
assert a[\"failed_logins\"] == \"1\", a[\"failed_logins\"]" &&
	aupctl user reactivate bjones
'

test_expect_success '%00 in a field is malformed, never a cut-short match' '
	printf "%s\n" "asmith $PW%00junk" "asmith%00zzz $PW" | aupctl auth >out &&
	cat >expect <<-EOF &&
	BH message="malformed request: expected '\''user password'\''"
	BH message="malformed request: expected '\''user password'\''"
	EOF
	test_cmp expect out
'

test_expect_success 'a channel id is echoed even when key_extras follow' '
	printf "%s\n" "7 asmith $PW extra=1" | aupctl auth >out &&
	echo "7 OK" >expect &&
	test_cmp expect out
'

test_expect_success 'a NUL byte answers BH for its line alone, the framing kept' '
	printf "asmith %s\0junk\nasmith %s\n5 asm\0ith x\n" "$PW" "$PW" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	$BH_MALFORMED
	OK
	$BH_MALFORMED
	EOF
	test_cmp expect out &&
	printf "1 asmith %s\n2 asmith\0 %s\n3 asmith %s\n" "$PW" "$PW" "$PW" |
		aupctl auth >out &&
	cat >expect <<-EOF &&
	1 OK
	2 $BH_MALFORMED
	3 OK
	EOF
	test_cmp expect out
'

test_expect_success 'key_extras: the first field after the password is the client address' '
	cat >"$TRASH/addr.ini" <<-EOF &&
	[password]
	lockout_attempts = 3
	lockout_minutes = 10
	max_age_days = 0
	EOF
	echo "$PW" | aupctl --config "$TRASH/addr.ini" user add --role staff \
		--first Gil --last Ross --password-stdin &&
	echo "$PW" | aupctl --config "$TRASH/addr.ini" user add --role staff \
		--first Hal --last Ross --password-stdin &&
	# One machine tries both teachers again and again: it waits, they
	# do not, and each counts one failure.
	printf "%s\n" "gross w1 10.0.0.66" "hross w2 10.0.0.66" \
		"gross w3 10.0.0.66" "gross $PW 10.0.0.66" \
		"7 x" "hross $PW 10.0.0.66" "gross $PW 10.0.0.7 x=1" \
		"hross $PW 10.0.0.8" |
		at "2030-01-01 10:00:00" aupctl --config "$TRASH/addr.ini" \
		auth >out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	$ERR_BAD
	$ERR_LOCKED
	$ERR_BAD
	$ERR_LOCKED
	OK
	OK
	EOF
	test_cmp expect out &&
	aupctl --format tsv log | cut -f4,7 | grep "^auth" |
		sed "s/:[0-9][0-9]+00:00\"/\"/g" >out &&
	printf "auth.throttle\t%s\n" "{\"address\":\"10.0.0.66\",\"locked_until\":\"2030-01-01T10:00\",\"failures\":3}" >expect &&
	test_cmp expect out
'

test_expect_success 'key_extras: with channels, and an address squid escaped' '
	printf "%s\n" "1 gross w1 fe80%3A%3A1" "2 gross w2 fe80::1" \
		"3 gross w3 FE80:0::1" "4 gross $PW fe80::1" "5 gross $PW ::1" |
		at "2030-01-01 11:00:00" aupctl --config "$TRASH/addr.ini" \
		auth >out &&
	cat >expect <<-EOF &&
	1 $ERR_BAD
	2 $ERR_BAD
	3 $ERR_BAD
	4 $ERR_LOCKED
	5 OK
	EOF
	test_cmp expect out
'

test_expect_success 'a helper started without the auth role refuses at the start (77)' '
	test_db_as office office.db &&
	test_db_as auth auth.db &&
	echo "asmith $PW" | AUPCTL_DB="$PWD/office.db" \
		test_expect_code 77 aupctl auth >out 2>err &&
	test ! -s out &&
	grep "^aupctl: error: operator .* may not do this" err &&
	echo "asmith $PW" | AUPCTL_DB="$PWD/auth.db" aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

# The helper as another user would see it: run as nobody, looked at by
# nobody (root may always look), a database nobody may write.
test_lazy_prereq SETPRIV 'command -v setpriv'
test_expect_success 'the helper cannot be dumped: core size 0, /proc/PID is root'"'"'s' '
	mkfifo req &&
	if test "$(id -u)" = 0 && test_have_prereq SETPRIV
	then
		dir=$(mktemp -d /tmp/aupctl-dump.XXXXXX) &&
		test_when_finished "rm -rf \"$dir\"" &&
		cp "$AUPCTL_DB" "$dir/s.db" &&
		aupctl --db "$dir/s.db" -q operator set nobody auth &&
		chmod 777 "$dir" && chmod 666 "$dir/s.db" &&
		run="setpriv --reuid=65534 --regid=65534 --clear-groups" &&
		owner=65534
	else
		dir=$TRASH run= owner=$(id -u) &&
		cp "$AUPCTL_DB" "$dir/s.db"
	fi &&
	{ $run "$AUPCTL" --db "$dir/s.db" auth <req >helper.out 2>&1 & } &&
	pid=$! &&
	exec 9>req &&
	test_when_finished "exec 9>&-; wait $pid" &&
	echo "asmith $PW" >&9 &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		test -s helper.out && break
		sleep 1
	done &&
	echo OK >expect &&
	test_cmp expect helper.out &&
	grep "^Max core file size  *0  *0 " /proc/$pid/limits &&
	stat -c %u /proc/$pid/status >out &&
	echo 0 >expect &&
	test_cmp expect out &&
	if test "$owner" != 0
	then
		! $run cat /proc/$pid/environ >/dev/null 2>&1
	fi
'

test_expect_success 'lockout: three wrong passwords lock the account' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" \
		user add --role staff --first Dan --last Lee --password-stdin &&
	printf "%s\n" "dlee wrong-1" "dlee wrong-2" "dlee wrong-3" "dlee $PW" |
		at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" auth >out &&
	echo "9 dlee $PW" |
		at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" auth >>out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	$ERR_LOCKED
	$ERR_LOCKED
	9 $ERR_LOCKED
	EOF
	test_cmp expect out
'

test_expect_success 'lockout: still waiting 10 s later, tries do not count' '
	printf "%s\n" "dlee wrong-4" "dlee wrong-5" "dlee wrong-6" "dlee $PW" |
		at "2030-01-01 10:00:10" aupctl --config "$TRASH/lock.ini" auth >out &&
	cat >expect <<-EOF &&
	$ERR_LOCKED
	$ERR_LOCKED
	$ERR_LOCKED
	$ERR_LOCKED
	EOF
	test_cmp expect out
'

test_expect_success 'lockout: 11 minutes later the right password is OK again' '
	printf "%s\n" "dlee $PW" |
		at "2030-01-01 10:11:00" aupctl --config "$TRASH/lock.ini" auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'lockout: the count starts again after the lock ends' '
	printf "%s\n" "dlee wrong-7" "dlee wrong-8" "dlee $PW" |
		at "2030-01-01 10:12:00" aupctl --config "$TRASH/lock.ini" auth >out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'lockout: only consecutive failures count' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" \
		user add --role staff --first Eve --last Brown --password-stdin &&
	printf "%s\n" "ebrown w1" "ebrown w2" "ebrown $PW" "ebrown w3" \
		"ebrown w4" "ebrown $PW" "ebrown w5" "ebrown w6" "ebrown w7" \
		"ebrown $PW" |
		at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" auth >out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	OK
	$ERR_BAD
	$ERR_BAD
	OK
	$ERR_BAD
	$ERR_BAD
	$ERR_LOCKED
	$ERR_LOCKED
	EOF
	test_cmp expect out
'

test_expect_success 'lockout: only the throttle is logged, not each failure' '
	aupctl --format tsv log --user dlee | cut -f4,5,7 |
		sed "s/:[0-9][0-9]+00:00\"/\"/g" >out &&
	printf "%s\t%s\t%s\n" action user after user.add dlee \
		"{\"username\":\"dlee\",\"role\":\"staff\",\"first\":\"Dan\",\"last\":\"Lee\"}" \
		auth.throttle dlee "{\"locked_until\":\"2030-01-01T10:00\",\"failures\":3}" \
		>expect &&
	test_cmp expect out
'

test_expect_success 'failures and successes do not add to the audit log' '
	echo "asmith $PW" | aupctl auth >out &&
	aupctl --format tsv log >before &&
	printf "%s\n" "asmith w1" "asmith w2" "asmith w3" "asmith w4" \
		"nobody w5" "asmith $PW" "asmith $PW" | aupctl auth >out &&
	cat >expect <<-EOF &&
	$ERR_BAD
	$ERR_BAD
	$ERR_BAD
	$ERR_BAD
	$ERR_BAD
	OK
	OK
	EOF
	test_cmp expect out &&
	aupctl --format tsv log >after &&
	test_cmp before after
'

test_expect_success 'failed logins are counted on the person, success clears them' '
	printf "%s\n" "asmith w1" "asmith w2" | aupctl auth >out &&
	aupctl --format csv user show asmith >show &&
	awk -F, "NR==1 { for (i = 1; i <= NF; i++) col[\$i] = i }
		NR==2 { print \$col[\"failed_logins\"] }" show >out &&
	echo 2 >expect &&
	test_cmp expect out &&
	echo "asmith $PW" | aupctl auth >/dev/null &&
	aupctl --format csv user show asmith >show &&
	awk -F, "NR==1 { for (i = 1; i <= NF; i++) col[\$i] = i }
		NR==2 { print \$col[\"failed_logins\"] }" show >out &&
	echo 0 >expect &&
	test_cmp expect out
'

test_expect_success 'password expiry: OK when new, ERR expired after max_age_days' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/expire.ini" \
		user add --role staff --first Fay --last King --password-stdin &&
	echo "fking $PW" |
		at "2030-01-01 10:00:00" aupctl --config "$TRASH/expire.ini" auth >out &&
	echo OK >expect &&
	test_cmp expect out &&
	printf "%s\n" "fking $PW" "fking wrong-password" |
		at "2030-02-15 10:00:00" aupctl --config "$TRASH/expire.ini" auth >out &&
	echo "2 fking $PW" |
		at "2030-02-15 10:00:00" aupctl --config "$TRASH/expire.ini" auth >>out &&
	cat >expect <<-EOF &&
	$ERR_EXPIRED
	$ERR_BAD
	2 $ERR_EXPIRED
	EOF
	test_cmp expect out
'

test_expect_success 'password expiry agrees with password expired' '
	test_expect_code 1 at "2030-02-15 10:00:00" aupctl \
		--config "$TRASH/expire.ini" --format csv password expired >list &&
	grep "^fking," list >out &&
	echo "fking,Fay,King,staff,expired,2030-01-01,2030-01-31" >expect &&
	test_cmp expect out &&
	echo "fking $PW" |
		at "2030-01-30 10:00:00" aupctl --config "$TRASH/expire.ini" auth >out &&
	echo OK >expect &&
	test_cmp expect out &&
	# asmith and bjones, added today, have expired by 2030; fking has not.
	test_expect_code 1 at "2030-01-30 10:00:00" aupctl \
		--config "$TRASH/expire.ini" --format csv password expired >list &&
	grep "^asmith," list &&
	! grep "^fking," list
'

test_expect_success 'password expiry follows the configuration' '
	echo "fking $PW" | at "2030-02-15 10:00:00" aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'the database holds no clear-text password' '
	ls "$AUPCTL_DB"* >files &&
	test_line_count -ge 1 files &&
	grep -a -q "Riverside Primary" "$AUPCTL_DB"* &&
	! grep -a "$PW" "$AUPCTL_DB"* &&
	! grep -a "$PW2" "$AUPCTL_DB"* &&
	! grep -a "$PW2_ENC" "$AUPCTL_DB"* &&
	! grep -a "wrong-password" "$AUPCTL_DB"*
'

test_done
