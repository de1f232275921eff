#!/bin/bash
# aupctl auth --protocol pam, for pam_exec: the user from PAM_USER, the
# password on stdin ended by NUL, newline or EOF (expose_authtok); exit 0 to
# let in, 1 for a wrong user or password or a throttled account alike, 69
# for a suspended account or an expired password; PAM_TYPE=account checks the
# account alone; PAM_USER echoed with its control characters escaped.
# First run directly, then through real PAM with pamtester and pam_exec.
. "$(dirname "$0")/test-lib.sh"

PW=maple-otter-cloud-42

MSG_BAD="wrong username or password, or too many tries; wait and try again"
# A throttled account answers as a wrong password does.
MSG_LOCKED=$MSG_BAD
MSG_INACTIVE="account not active; see the school office"
MSG_EXPIRED="password expired; ask for a new one"

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

# pam USER [aupctl options...]: the helper as pam_exec runs it for auth.
pam() {
	user=$1
	shift
	PAM_USER=$user PAM_TYPE=auth aupctl "$@" auth --protocol pam
}

# pam_account USER [aupctl options...]: as pam_exec runs it for account.
pam_account() {
	user=$1
	shift
	PAM_USER=$user PAM_TYPE=account aupctl "$@" auth --protocol pam
}

test_expect_success 'setup: a school with two members of staff' '
	aupctl init --school "Riverside Primary" &&
	echo "$PW" | aupctl user add --role staff --first Amy --last Smith \
		--password-stdin >out &&
	echo "added asmith: Amy Smith (staff)" >expect &&
	test_cmp expect out &&
	echo "$PW" | aupctl user add --role staff --first Ben --last Jones \
		--password-stdin >out &&
	echo "added bjones: Ben Jones (staff)" >expect &&
	test_cmp expect out
'

test_expect_success 'the right password ended by NUL (expose_authtok) exits 0' '
	printf "%s\0" "$PW" | pam asmith >out 2>err &&
	test ! -s out &&
	test ! -s err
'

test_expect_success 'the password may end with a newline or at EOF; PAM_TYPE unset is auth' '
	printf "%s\n" "$PW" | pam asmith &&
	printf "%s" "$PW" | pam asmith &&
	printf "%s\0" "$PW" | PAM_USER=asmith aupctl auth --protocol pam
'

test_expect_success 'a wrong password exits 1 and says so' '
	printf "%s\0" "$PW-" | test_expect_code 1 pam asmith >out 2>err &&
	test ! -s out &&
	echo "aupctl: auth: asmith: $MSG_BAD" >expect &&
	test_cmp expect err &&
	printf "%s\0" "maple-otter-cloud-4" | test_expect_code 1 pam asmith &&
	printf "\0" | test_expect_code 1 pam asmith &&
	test_expect_code 1 pam asmith </dev/null &&
	printf "%s\0" "$PW" | pam asmith
'

test_expect_success 'only the password before the NUL is taken' '
	printf "%s\0%s" "$PW" "trailing-rubbish" | pam asmith &&
	printf "%s\0%s" "maple" "-otter-cloud-42" | test_expect_code 1 pam asmith
'

test_expect_success 'an unknown user exits 1, like a wrong password' '
	printf "%s\0" "$PW" | test_expect_code 1 pam nobody >out 2>err &&
	test ! -s out &&
	echo "aupctl: auth: nobody: $MSG_BAD" >expect &&
	test_cmp expect err &&
	test_expect_code 1 pam_account nobody </dev/null 2>err &&
	test_cmp expect err
'

test_expect_success 'a newline in PAM_USER cannot forge a line of the log' '
	printf "x\0" | test_expect_code 1 env \
		PAM_USER="$(printf "nobody\naupctl: auth: asmith: OK\033[2K")" \
		PAM_TYPE=auth aupctl auth --protocol pam 2>err &&
	printf "aupctl: auth: nobody\\\\naupctl: auth: asmith: OK\\\\x1b[2K: %s\n" \
		"$MSG_BAD" >expect &&
	test_cmp expect err &&
	test_expect_code 64 env PAM_USER=asmith \
		PAM_TYPE="$(printf "au\nth")" aupctl auth --protocol pam 2>err &&
	grep "^aupctl: error: unknown PAM_TYPE .au\\\\nth.$" err
'

test_expect_success 'PAM_RHOST is the client address: one host waits, not the account' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" \
		user add --role staff --first Eva --last Hart --password-stdin &&
	for i in 1 2 3; do
		printf "wrong-%s\0" $i |
			test_expect_code 1 at "2030-01-01 10:00:00" \
			env PAM_USER=ehart PAM_RHOST=192.0.2.9 \
			aupctl --config "$TRASH/lock.ini" auth --protocol pam ||
			return 1
	done &&
	printf "%s\0" "$PW" | test_expect_code 1 at "2030-01-01 10:00:00" \
		env PAM_USER=ehart PAM_RHOST=192.0.2.9 \
		aupctl --config "$TRASH/lock.ini" auth --protocol pam &&
	printf "%s\0" "$PW" | at "2030-01-01 10:00:00" \
		env PAM_USER=ehart PAM_RHOST=192.0.2.10 \
		aupctl --config "$TRASH/lock.ini" auth --protocol pam
'

test_expect_success 'without the auth role the helper refuses at the start (77)' '
	test_db_as office office.db &&
	printf "%s\0" "$PW" | test_expect_code 77 env PAM_USER=asmith \
		AUPCTL_DB="$PWD/office.db" aupctl auth --protocol pam 2>err &&
	grep "may not do this" err
'

test_expect_success 'without PAM_USER it is a usage error (64)' '
	printf "%s\0" "$PW" |
		test_expect_code 64 env -u PAM_USER aupctl auth --protocol pam 2>err &&
	grep "^aupctl: error: PAM_USER is not set" err &&
	printf "%s\0" "$PW" |
		test_expect_code 64 env PAM_USER= aupctl auth --protocol pam
'

test_expect_success 'PAM_TYPE=account lets an active account in without a password' '
	pam_account asmith </dev/null >out 2>err &&
	test ! -s out &&
	test ! -s err
'

test_expect_success 'sessions pass untouched; password changes are refused' '
	aupctl --format json user show asmith >before &&
	for t in open_session close_session
	do
		PAM_USER=asmith PAM_TYPE=$t aupctl auth --protocol pam \
			</dev/null >out 2>err &&
		test ! -s out && test ! -s err || return 1
	done &&
	echo "$PW" | test_expect_code 69 env PAM_USER=asmith PAM_TYPE=password \
		aupctl auth --protocol pam 2>err &&
	grep "aupctl password set" err &&
	echo "$PW" | test_expect_code 64 env PAM_USER=asmith PAM_TYPE=bogus \
		aupctl auth --protocol pam &&
	aupctl --format json user show asmith >after &&
	test_cmp before after
'

test_expect_success 'a suspended user exits 69, for auth and account' '
	aupctl user suspend bjones --reason "category B sanction" &&
	echo "aupctl: auth: bjones: $MSG_INACTIVE" >expect &&
	printf "%s\0" "$PW" | test_expect_code 69 pam bjones 2>err &&
	test_cmp expect err &&
	test_expect_code 69 pam_account bjones </dev/null 2>err &&
	test_cmp expect err &&
	printf "%s\0" "wrong-password" | test_expect_code 1 pam bjones
'

test_expect_success 'a reactivated user is let in again' '
	aupctl user reactivate bjones &&
	pam_account bjones </dev/null &&
	printf "%s\0" "$PW" | pam bjones
'

test_expect_success 'lockout: the third wrong password starts a wait, exit 1 as ever' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/lock.ini" \
		user add --role staff --first Dan --last Lee --password-stdin &&
	for i in 1 2; do
		printf "wrong-%s\0" $i |
			test_expect_code 1 at "2030-01-01 10:00:00" \
			env PAM_USER=dlee aupctl --config "$TRASH/lock.ini" \
			auth --protocol pam || exit 1
	done &&
	printf "wrong-3\0" | test_expect_code 1 at "2030-01-01 10:00:00" \
		env PAM_USER=dlee aupctl --config "$TRASH/lock.ini" \
		auth --protocol pam 2>err &&
	echo "aupctl: auth: dlee: $MSG_LOCKED" >expect &&
	test_cmp expect err
'

test_expect_success 'lockout: waiting, auth and account refuse the right password as a wrong one' '
	printf "%s\0" "$PW" | test_expect_code 1 at "2030-01-01 10:00:10" \
		env PAM_USER=dlee aupctl --config "$TRASH/lock.ini" \
		auth --protocol pam 2>err &&
	echo "aupctl: auth: dlee: $MSG_LOCKED" >expect &&
	test_cmp expect err &&
	test_expect_code 1 at "2030-01-01 10:00:10" \
		env PAM_USER=dlee PAM_TYPE=account aupctl \
		--config "$TRASH/lock.ini" auth --protocol pam </dev/null 2>err &&
	test_cmp expect err
'

test_expect_success 'lockout: 11 minutes later auth and account exit 0' '
	at "2030-01-01 10:11:00" env PAM_USER=dlee PAM_TYPE=account \
		aupctl --config "$TRASH/lock.ini" auth --protocol pam </dev/null &&
	printf "%s\0" "$PW" | at "2030-01-01 10:11:00" env PAM_USER=dlee \
		aupctl --config "$TRASH/lock.ini" auth --protocol pam
'

test_expect_success 'lockout: the failures are not logged one by one' '
	aupctl --format tsv log --user dlee | cut -f4 >out &&
	printf "%s\n" action user.add auth.throttle >expect &&
	test_cmp expect out
'

test_expect_success 'an expired password exits 69; a wrong one still 1' '
	echo "$PW" | at "2030-01-01 10:00:00" aupctl --config "$TRASH/expire.ini" \
		user add --role staff --first Fay --last King --password-stdin &&
	printf "%s\0" "$PW" | at "2030-01-01 10:00:00" env PAM_USER=fking \
		aupctl --config "$TRASH/expire.ini" auth --protocol pam &&
	printf "%s\0" "$PW" | test_expect_code 69 at "2030-02-15 10:00:00" \
		env PAM_USER=fking aupctl --config "$TRASH/expire.ini" \
		auth --protocol pam 2>err &&
	echo "aupctl: auth: fking: $MSG_EXPIRED" >expect &&
	test_cmp expect err &&
	test_expect_code 69 at "2030-02-15 10:00:00" env PAM_USER=fking \
		PAM_TYPE=account aupctl --config "$TRASH/expire.ini" \
		auth --protocol pam </dev/null 2>err &&
	test_cmp expect err &&
	printf "wrong-password\0" | test_expect_code 1 at "2030-02-15 10:00:00" \
		env PAM_USER=fking aupctl --config "$TRASH/expire.ini" \
		auth --protocol pam
'

# Through real PAM: a service file using pam_exec, driven by pamtester.
# pam_exec gives the helper none of the caller's environment, so the
# database and configuration are given by absolute path; AUPCTL_DATADIR is
# not needed to authenticate.
PAM_SERVICE=aupctl-test-$$
PAM_FILE=/etc/pam.d/$PAM_SERVICE
# pam_exec runs the helper by the path in the service file.
test_lazy_prereq AUPCTL_ABSOLUTE '
	case $AUPCTL in
	/*) exit 0 ;;
	esac
	exit 1
'
PAM_PREREQ=ROOT,PAMTESTER,PAM_EXEC,AUPCTL_ABSOLUTE
if test_have_prereq "$PAM_PREREQ"; then
	trap 'rm -f "$PAM_FILE"' EXIT
fi

# pam_test DESCRIPTION BODY: a test that needs pamtester and a service file
# (root, to write it in /etc/pam.d).
pam_test() {
	test_expect_success "$PAM_PREREQ" "$1" "$2"
}

# show_field USER FIELD: one field of user show.
show_field() {
	aupctl --format csv user show "$1" >show.csv &&
	awk -F, -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		NR == 2 { print $col[f] }' show.csv
}

pam_test 'pam: a service file runs aupctl through pam_exec' '
	echo "$PW" | aupctl user add --role staff --first Cat --last Wood \
		--password-stdin &&
	helper="$AUPCTL --db $AUPCTL_DB --config $TRASH/lock.ini auth --protocol pam" &&
	cat >"$PAM_FILE" <<-EOF &&
	auth required pam_exec.so expose_authtok quiet $helper
	account required pam_exec.so quiet $helper
	EOF
	test -s "$PAM_FILE"
'

pam_test 'pam: pamtester prompts on stderr and reads the password from stdin' '
	show_field cwood last_login >out &&
	echo >expect &&
	test_cmp expect out &&
	echo "$PW" | pamtester "$PAM_SERVICE" cwood authenticate >out 2>err &&
	echo "pamtester: successfully authenticated" >expect &&
	test_cmp expect out &&
	printf "Password: " >expect &&
	test_cmp expect err &&
	# aupctl really ran: it recorded the login.
	show_field cwood last_login >out &&
	grep -E "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$" out
'

pam_test 'pam: a wrong password fails, and aupctl counted it' '
	echo "$PW-" | test_expect_code 1 pamtester "$PAM_SERVICE" cwood \
		authenticate >out 2>err &&
	test ! -s out &&
	grep "^Password: pamtester: " err &&
	show_field cwood failed_logins >out &&
	echo 1 >expect &&
	test_cmp expect out &&
	echo "$PW" | pamtester "$PAM_SERVICE" cwood authenticate >out &&
	echo "pamtester: successfully authenticated" >expect &&
	test_cmp expect out &&
	show_field cwood failed_logins >out &&
	echo 0 >expect &&
	test_cmp expect out
'

pam_test 'pam: an unknown user fails' '
	echo "$PW" | test_expect_code 1 pamtester "$PAM_SERVICE" nobody \
		authenticate >out 2>err &&
	test ! -s out &&
	test_expect_code 1 pamtester "$PAM_SERVICE" nobody acct_mgmt \
		</dev/null >out 2>err &&
	test ! -s out
'

pam_test 'pam: account management passes for an active user' '
	pamtester "$PAM_SERVICE" cwood acct_mgmt </dev/null >out 2>err &&
	echo "pamtester: account management done." >expect &&
	test_cmp expect out &&
	test ! -s err
'

pam_test 'pam: a suspended user fails account management and login' '
	aupctl user suspend cwood --reason "category B sanction" &&
	test_expect_code 1 pamtester "$PAM_SERVICE" cwood acct_mgmt \
		</dev/null >out 2>err &&
	test ! -s out &&
	echo "$PW" | test_expect_code 1 pamtester "$PAM_SERVICE" cwood \
		authenticate >out 2>err &&
	test ! -s out &&
	aupctl user reactivate cwood &&
	pamtester "$PAM_SERVICE" cwood acct_mgmt </dev/null >out &&
	echo "pamtester: account management done." >expect &&
	test_cmp expect out &&
	echo "$PW" | pamtester "$PAM_SERVICE" cwood authenticate >out &&
	echo "pamtester: successfully authenticated" >expect &&
	test_cmp expect out
'

pam_test 'pam: the configuration given to pam_exec locks after 3 failures' '
	for i in 1 2 3; do
		echo "wrong-$i" | test_expect_code 1 pamtester "$PAM_SERVICE" \
			cwood authenticate >/dev/null 2>&1 || exit 1
	done &&
	show_field cwood locked_until >out &&
	grep -E "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$" out &&
	echo "$PW" | test_expect_code 1 pamtester "$PAM_SERVICE" cwood \
		authenticate >out 2>err &&
	test ! -s out &&
	test_expect_code 1 pamtester "$PAM_SERVICE" cwood acct_mgmt \
		</dev/null >out 2>err &&
	test ! -s out &&
	pamtester "$PAM_SERVICE" asmith acct_mgmt </dev/null >out &&
	echo "pamtester: account management done." >expect &&
	test_cmp expect out
'

pam_test 'pam: the service file is removed' '
	rm "$PAM_FILE" &&
	test ! -e "$PAM_FILE"
'

test_done
