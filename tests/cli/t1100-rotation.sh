#!/bin/bash
# Rotation: staff passwords expire after max_age_days, with a warning
# window; expired ones are listed (exit 1), marked, and refused at login.
# The clock is moved with faketime.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup on 2030-01-01' '
	printf "[password.staff]\nmax_age_days = 90\nwarn_days = 14\n" >rot.ini &&
	export AUPCTL_CONFIG=$TRASH/rot.ini &&
	at "2030-01-01 09:00:00" aupctl init --school "Riverside Primary" &&
	echo "maple-otter-cloud-42" | at "2030-01-01 09:00:00" aupctl user add \
		--role staff --first Amy --last Smith --password-stdin &&
	echo "maple-otter-42" | at "2030-01-01 09:00:00" aupctl user add \
		--role pupil --first Ben --last Ng --year 5 --username ben.ng \
		--password-stdin
'
export AUPCTL_CONFIG=$TRASH/rot.ini

test_expect_success 'nothing expired after 60 days (exit 0)' '
	at "2030-03-02 09:00:00" aupctl password expired >out &&
	grep "no passwords expired" out
'

test_expect_success '--within lists passwords about to expire' '
	test_expect_code 1 at "2030-03-02 10:00:00" aupctl --format csv \
		password expired --within 30 >out &&
	cat >expect <<-\EOF &&
	username,first,last,role,state,changed,expires
	asmith,Amy,Smith,staff,expiring,2030-01-01,2030-04-01
	EOF
	test_cmp expect out
'

test_expect_success 'the staff password is expired after 90 days (exit 1)' '
	test_expect_code 1 at "2030-04-02 09:00:00" aupctl --format csv \
		password expired >out &&
	cat >expect <<-\EOF &&
	username,first,last,role,state,changed,expires
	asmith,Amy,Smith,staff,expired,2030-01-01,2030-04-01
	EOF
	test_cmp expect out
'

test_expect_success 'auth refuses an expired password; the pupil is fine' '
	printf "asmith maple-otter-cloud-42\nben.ng maple-otter-42\n" |
		at "2030-04-02 09:00:00" aupctl auth >out &&
	cat >expect <<-\EOF &&
	ERR message="password expired; ask for a new one"
	OK
	EOF
	test_cmp expect out
'

test_expect_success 'user show says expired' '
	at "2030-04-02 09:00:00" aupctl user show asmith >out &&
	grep "^password  *expired$" out &&
	grep "^password_expires  *2030-04-01$" out
'

test_expect_success '--mark sets must_change once, logged' '
	test_expect_code 1 at "2030-04-02 09:00:00" aupctl password expired --mark &&
	aupctl --format csv user show asmith | grep -q ",true,0," &&
	test_expect_code 1 at "2030-04-03 09:00:00" aupctl password expired --mark &&
	aupctl --format csv log --user asmith | grep -c password.expire >n &&
	echo 1 >expect && test_cmp expect n
'

test_expect_success 'a new password starts the clock again' '
	echo "river-paper-swan-17" | at "2030-04-02 10:00:00" aupctl password \
		set asmith --password-stdin &&
	at "2030-04-03 09:00:00" aupctl password expired &&
	echo "asmith river-paper-swan-17" | at "2030-04-03 09:00:00" aupctl auth >out &&
	echo OK >expect && test_cmp expect out
'

test_done
