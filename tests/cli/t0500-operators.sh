#!/bin/bash
# Operators: kept in the database, set by an admin with aupctl operator,
# every change in the audit log. Each login name has a role; an auditor
# reads but cannot change anything (77); office resets pupils but not
# staff; no config file can give anyone a role.
. "$(dirname "$0")/test-lib.sh"

me=$(id -un)

# Give me ROLE: a stand-in admin keeps the operators changeable, and the
# database goes back as it was when the test ends.
as() {
	cp "$AUPCTL_DB" keep.db &&
	aupctl -q operator set boss admin &&
	aupctl -q operator set "$me" "$1"
}
restore() {
	rm -f "$AUPCTL_DB-wal" "$AUPCTL_DB-shm" && mv keep.db "$AUPCTL_DB"
}

test_expect_success 'init makes the one who runs it admin' '
	aupctl init --school "Riverside Primary" &&
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Amy \
		--last Smith --password-stdin &&
	aupctl user add --role pupil --first Ben --last Ng --year 4 --username ben.ng &&
	aupctl --format csv operator list >out &&
	printf "login,role\n%s,admin\n" "$me" >expect &&
	test_cmp expect out &&
	aupctl --format csv log | grep ",db.init," >out &&
	grep "admin.*$me" out
'

test_expect_success 'operator set and remove: admin only, each in the log' '
	aupctl operator set mrsbell office >out &&
	grep "mrsbell is now office" out &&
	aupctl operator set mrsbell auditor &&
	aupctl --format tsv operator list >out &&
	printf "login\trole\nmrsbell\tauditor\n%s\tadmin\n" "$me" | sort >expect &&
	sort out >sorted && test_cmp expect sorted &&
	aupctl operator remove mrsbell &&
	aupctl --format csv log | sed 1d | cut -d, -f4 | tail -3 >out &&
	printf "operator.set\noperator.set\noperator.remove\n" >expect &&
	test_cmp expect out &&
	aupctl --format json log | grep "operator.set" | grep -q "\"role\":\"office\"" &&
	aupctl log --verify
'

test_expect_success 'bad roles, names and unknown operators' '
	test_expect_code 64 aupctl operator set mrsbell superuser 2>err &&
	grep "unknown operator role .superuser." err &&
	grep "admin, netmgr, office, auditor, auth" err &&
	test_expect_code 65 aupctl operator set "mrs bell" office &&
	test_expect_code 65 aupctl operator set "a:b" office &&
	test_expect_code 67 aupctl operator remove nobody 2>err &&
	grep "not an operator" err &&
	test_expect_code 64 aupctl operator set mrsbell &&
	test_expect_code 64 aupctl operator remove
'

test_expect_success 'the last admin cannot go while other operators remain' '
	aupctl operator set mrsbell office &&
	test_expect_code 65 aupctl operator remove "$me" 2>err &&
	grep "last admin" err &&
	grep "hint:" err &&
	test_expect_code 65 aupctl operator set "$me" netmgr 2>err &&
	grep "last admin" err &&
	aupctl --format csv operator list >out &&
	grep "^$me,admin$" out &&
	aupctl operator remove mrsbell
'

test_expect_success 'logins are compared exactly, capitals included' '
	test_when_finished restore &&
	cp "$AUPCTL_DB" keep.db &&
	aupctl operator set "$(echo "$me" | tr a-z A-Z)" admin &&
	aupctl operator remove "$me" &&
	test_expect_code 77 aupctl user list 2>err &&
	grep "is not an aupctl operator" err
'

test_expect_success 'an auditor can read everything' '
	test_when_finished restore &&
	as auditor &&
	aupctl user list >out &&
	grep asmith out &&
	aupctl user show asmith &&
	aupctl operator list &&
	aupctl log --verify
'

test_expect_success 'an auditor cannot change anything (77)' '
	test_when_finished restore &&
	as auditor &&
	aupctl --format csv log | sed 1d | wc -l >before &&
	test_expect_code 77 aupctl user add --role staff --first C --last D 2>err &&
	grep "may not do this" err &&
	test_expect_code 77 aupctl user edit asmith --first X &&
	test_expect_code 77 aupctl user suspend asmith --reason x &&
	test_expect_code 77 aupctl password reset ben.ng &&
	test_expect_code 77 aupctl db backup "$TRASH/x.db" &&
	test_expect_code 77 aupctl password expired --mark &&
	test_expect_code 77 aupctl operator set "$me" admin 2>err &&
	grep "admin" err &&
	test_expect_code 77 aupctl operator remove boss &&
	test ! -e x.db &&
	aupctl --format csv log | sed 1d | wc -l >after &&
	test_cmp before after
'

test_expect_success 'office resets a pupil, not a member of staff' '
	test_when_finished restore &&
	as office &&
	aupctl user add --role volunteer --first Vi --last Oh &&
	aupctl password reset ben.ng >out &&
	grep "^ben.ng  *Ben Ng  " out &&
	test_expect_code 77 aupctl password reset asmith 2>err &&
	grep "netmgr or admin" err &&
	test_expect_code 77 aupctl operator set "$me" admin
'

test_expect_success 'netmgr does everything but operator matters' '
	test_when_finished restore &&
	as netmgr &&
	aupctl password reset asmith >out &&
	aupctl db backup "$TRASH/nm.db" &&
	test_expect_code 77 aupctl operator set "$me" admin 2>err &&
	grep "ask someone with the admin role" err
'

test_expect_success 'someone not recorded may do nothing (77) and is told how' '
	test_when_finished restore &&
	cp "$AUPCTL_DB" keep.db &&
	aupctl operator set someoneelse admin &&
	aupctl operator remove "$me" &&
	test_expect_code 77 aupctl user list 2>err &&
	grep "is not an aupctl operator" err &&
	grep "aupctl operator set $me ROLE" err &&
	test_expect_code 77 aupctl operator list
'

test_expect_success 'no config file gives anyone a role' '
	test_when_finished restore &&
	as auditor &&
	test_expect_code 77 aupctl --config /dev/null password reset ben.ng &&
	printf "[school]\nname = X\n" >empty.ini &&
	AUPCTL_CONFIG=$TRASH/empty.ini test_expect_code 77 aupctl password reset ben.ng &&
	printf "[operators]\n%s = admin\n" "$me" >ops.ini &&
	test_expect_code 78 aupctl --config ops.ini password reset ben.ng 2>err &&
	grep "aupctl operator set" err
'

test_expect_success 'the auth role may only answer logins' '
	test_when_finished restore &&
	as auth &&
	test_expect_code 77 aupctl user list &&
	test_expect_code 77 aupctl user show asmith &&
	echo "x" | test_expect_code 77 aupctl password check --user asmith &&
	echo "asmith maple-otter-cloud-42" | aupctl auth >out &&
	echo OK >expect &&
	test_cmp expect out
'

test_expect_success 'with the last operator removed, whoever opens it is admin' '
	aupctl operator remove "$me" &&
	aupctl --format csv operator list >out &&
	test_line_count = 0 out &&
	aupctl operator list 2>&1 | grep "no operators recorded" &&
	aupctl user edit asmith --class 3A &&
	test_expect_code 65 aupctl operator set mrsbell office 2>err &&
	grep "operators but no admin" err &&
	aupctl operator set "$me" admin &&
	aupctl operator set mrsbell office
'

test_done
