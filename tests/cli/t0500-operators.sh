#!/bin/bash
# Operators: with [operators] each login name has a role; an auditor reads
# but cannot change anything (77); office resets pupils but not staff.
. "$(dirname "$0")/test-lib.sh"

me=$(id -un)
ops() {
	printf "[operators]\n%s = %s\n" "$me" "$1" >ops.ini
}

test_expect_success 'setup as admin (no [operators]: whoever opens it)' '
	aupctl init --school "Riverside Primary" &&
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Amy \
		--last Smith --password-stdin &&
	aupctl user add --role pupil --first Ben --last Ng --year 4 --username ben.ng &&
	cp "$AUPCTL_DB" before.db
'

test_expect_success 'an auditor can read everything' '
	ops auditor &&
	aupctl --config ops.ini user list >out &&
	grep asmith out &&
	aupctl --config ops.ini user show asmith &&
	aupctl --config ops.ini log --verify
'

test_expect_success 'an auditor cannot change anything (77)' '
	ops auditor &&
	test_expect_code 77 aupctl --config ops.ini user add --role staff \
		--first C --last D 2>err &&
	grep "may not do this" err &&
	test_expect_code 77 aupctl --config ops.ini user edit asmith --first X &&
	test_expect_code 77 aupctl --config ops.ini user suspend asmith --reason x &&
	test_expect_code 77 aupctl --config ops.ini password reset ben.ng &&
	test_expect_code 77 aupctl --config ops.ini db backup "$TRASH/x.db" &&
	test_expect_code 77 aupctl --config ops.ini password expired --mark &&
	test ! -e x.db &&
	aupctl --format csv log | sed 1d | wc -l >n &&
	echo 3 >expect && test_cmp expect n
'

test_expect_success 'office resets a pupil, not a member of staff' '
	ops office &&
	aupctl --config ops.ini user add --role volunteer --first Vi --last Oh &&
	aupctl --config ops.ini password reset ben.ng >out &&
	grep "^ben.ng  *Ben Ng  " out &&
	test_expect_code 77 aupctl --config ops.ini password reset asmith 2>err &&
	grep "netmgr or admin" err
'

test_expect_success 'someone not listed may do nothing (77) and is told how' '
	printf "[operators]\nsomeoneelse = admin\n" >ops.ini &&
	test_expect_code 77 aupctl --config ops.ini user list 2>err &&
	grep "is not an aupctl operator" err &&
	grep "\[operators\]" err
'

test_expect_success 'an empty [operators] lets no one in' '
	printf "[operators]\n" >ops.ini &&
	test_expect_code 77 aupctl --config ops.ini user suspend asmith \
		--reason x 2>err &&
	grep "is not an aupctl operator" err &&
	test_expect_code 77 aupctl --config ops.ini user list
'

test_expect_success 'the auth role may only answer logins' '
	ops auth &&
	test_expect_code 77 aupctl --config ops.ini user list &&
	test_expect_code 77 aupctl --config ops.ini user show asmith &&
	echo "x" | test_expect_code 77 aupctl --config ops.ini password check \
		--user asmith &&
	echo "asmith maple-otter-cloud-42" | aupctl --config ops.ini auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_done
