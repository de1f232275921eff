#!/bin/bash
# aupctl auth as a squid basic authentication helper: one answer a request
# line, flushed; URL-encoded fields; concurrency channel ids echoed; BH for
# what cannot be parsed; suspension, lockout and password expiry refused with
# their own message; failures counted, not logged one by one; no clear-text
# password ever stored.
. "$(dirname "$0")/test-lib.sh"

PW=maple-otter-cloud-42
# A password with a space and a per cent sign, and how squid sends it.
PW2="maple otter%cloud 42"
PW2_ENC="maple%20otter%25cloud%2042"

ERR_BAD='ERR message="wrong username or password"'
ERR_LOCKED='ERR message="account locked after too many failed logins; try later"'
ERR_INACTIVE='ERR message="account not active; see the school office"'
ERR_EXPIRED='ERR message="password expired; ask for a new one"'
BH_MALFORMED="BH message=\"malformed request: expected 'user password'\""
BH_LONG='BH message="request too long"'

# Lockout after 3 failures for 10 minutes; passwords never expire, so that
# the clock can be moved freely.
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

test_expect_success 'lockout: still locked after 5 minutes, tries do not count' '
	printf "%s\n" "dlee wrong-4" "dlee wrong-5" "dlee wrong-6" "dlee $PW" |
		at "2030-01-01 10:05:00" aupctl --config "$TRASH/lock.ini" auth >out &&
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

test_expect_success 'lockout: only the lock is logged, not each failure' '
	aupctl --format tsv log --user dlee | cut -f4,5,7 |
		sed "s/T10:10:0[0-9]+00:00/T10:10:0S+00:00/" >out &&
	printf "%s\t%s\t%s\n" action user after user.add dlee \
		"{\"username\":\"dlee\",\"role\":\"staff\",\"first\":\"Dan\",\"last\":\"Lee\"}" \
		auth.lock dlee "{\"locked_until\":\"2030-01-01T10:10:0S+00:00\",\"failures\":3}" \
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
