#!/bin/bash
# Configuration: found in the documented order, runs with none at all, and
# any unknown or mistyped key is exit 78 naming the file and the key.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'runs with no configuration file at all' '
	unset AUPCTL_CONFIG &&
	aupctl init --school "Riverside Primary" &&
	aupctl user list
'

test_expect_success 'the shipped example configuration is valid' '
	aupctl --config "$AUPCTL_SRCDIR/data/aupctl.ini" user list
'

test_expect_success 'the example shows every key with its default' '
	ex="$AUPCTL_SRCDIR/data/aupctl.ini" &&
	for k in name final_year year_start path group t_cost m_cost_kib \
	    parallelism blocklist wordlist min_length max_length history \
	    max_age_days warn_days lockout_attempts lockout_minutes \
	    individual_accounts_from username enforce grace_days items \
	    first last preferred_first preferred_last year class mis_id \
	    email; do
		grep -q "^;* *$k = " "$ex" || { echo "$k missing"; exit 1; }
	done
'

test_expect_success 'unknown key: exit 78 naming file and key' '
	printf "[school]\nname = X\ncolour = blue\n" >bad.ini &&
	test_expect_code 78 aupctl --config bad.ini user list 2>err &&
	grep "bad.ini:3: unknown key .school.colour." err &&
	grep "aupctl.ini(5)" err
'

test_expect_success 'unknown section: exit 78' '
	printf "[canteen]\nmenu = chips\n" >bad.ini &&
	test_expect_code 78 aupctl --config bad.ini user list 2>err &&
	grep "unknown section .canteen." err
'

test_expect_success 'wrong type: exit 78 naming the key and what it wants' '
	printf "[password.staff]\nmin_length = twelve\n" >bad.ini &&
	test_expect_code 78 aupctl --config bad.ini user list 2>err &&
	grep "\[password.staff\] min_length = .twelve. is not a whole number" err
'

test_expect_success 'a key given twice: exit 78 naming both lines' '
	printf "[password]\nmin_length = 10\nhistory = 3\n\n[school]\nname = X\n[password]\nMin_Length=12\n" >twice.ini &&
	test_expect_code 78 aupctl --config twice.ini user list 2>err &&
	grep "twice.ini:8: .password.min_length. is given twice (first at line 2)" err
'

test_expect_success 'the example in aupctl.ini(5) is valid' '
	sed -n "/^\.SH EXAMPLE/,/^\.fi/p" "$AUPCTL_MANDIR/aupctl.ini.5" |
		sed -e "1,2d" -e "\$d" -e "s/\\\\e\$/\\\\/" >man.ini &&
	grep -q "^\[leaver.staff\]" man.ini &&
	tail -1 man.ini | grep -q "^parallelism = 2" &&
	aupctl --config man.ini user list
'

test_expect_success '$AUPCTL_CONFIG is read when there is no --config' '
	printf "[argon2]\nt_cost = 0\n" >bad.ini &&
	AUPCTL_CONFIG=$TRASH/bad.ini test_expect_code 78 aupctl user list 2>err &&
	grep "t_cost" err
'

test_expect_success '--config wins over $AUPCTL_CONFIG' '
	printf "[school]\nname = Good\n" >good.ini &&
	AUPCTL_CONFIG=$TRASH/bad.ini aupctl --config good.ini user list
'

test_expect_success 'a missing config file is exit 78' '
	test_expect_code 78 aupctl --config nowhere.ini user list 2>err &&
	grep "nowhere.ini" err
'

test_expect_success '[database] path is used, --db and $AUPCTL_DB win' '
	printf "[database]\npath = %s\n" "$TRASH/from-config.db" >db.ini &&
	(unset AUPCTL_DB; aupctl --config db.ini init --school C) &&
	test -f from-config.db &&
	aupctl --config db.ini user list
'

test_expect_success 'a syntax error names the line, never shows it' '
	printf "[school]\nname = X\n\nroot:s3cret-hash-ABC:19000:0:99999\n" \
		>secret.ini &&
	chmod 0600 secret.ini &&
	test_expect_code 78 aupctl --config secret.ini user list 2>err &&
	grep "secret.ini:4: not a \"key = value\" line" err &&
	! grep "s3cret" err
'

test_expect_success 'an [operators] section is refused, pointing at aupctl operator' '
	printf "[school]\nname = X\n[operators]\nbob = admin\n" >ops.ini &&
	test_expect_code 78 aupctl --config ops.ini user list 2>err &&
	grep "ops.ini:3: section \[operators\] is no longer read" err &&
	grep "hint: .*aupctl operator set LOGIN ROLE" err &&
	printf "[operators]\n" >ops.ini &&
	test_expect_code 78 aupctl --config ops.ini user list
'

test_expect_success 'Argon2 memory is checked when read (78, naming the key)' '
	printf "[argon2]\nm_cost_kib = 16\nparallelism = 4\n" >a2.ini &&
	test_expect_code 78 aupctl --config a2.ini user list 2>err &&
	grep "\[argon2\] m_cost_kib 16 is less than 8 KiB per lane" err &&
	printf "[argon2]\nm_cost_kib = 2097152\n" >a2.ini &&
	test_expect_code 78 aupctl --config a2.ini user list 2>err &&
	grep "\[argon2\] m_cost_kib = .2097152. is not a whole number from 8 to 1048576" err &&
	printf "[argon2]\nm_cost_kib = 32\nparallelism = 4\n" >a2.ini &&
	aupctl --config a2.ini user list
'

# Root with SUDO_USER is a privileged run: what the caller chose is refused
# before anything is read (the file below is root's alone).
test_expect_success ROOT 'under sudo, --config, --db and AUPCTL_* are refused (78)' '
	printf "[school]\nname = X\nroot:s3cret\n" >root-only.ini &&
	chmod 0600 root-only.ini &&
	(
		unset AUPCTL_DB AUPCTL_CONFIG AUPCTL_DATADIR &&
		export SUDO_USER=mallory &&
		test_expect_code 78 aupctl --config root-only.ini user list 2>err &&
		grep "error: --config is refused in a privileged run" err &&
		! grep s3cret err &&
		test_expect_code 78 aupctl --db "$TRASH/school.db" user list 2>err &&
		grep "error: --db is refused in a privileged run" err &&
		AUPCTL_CONFIG=$TRASH/root-only.ini test_expect_code 78 aupctl user list 2>err &&
		grep "error: AUPCTL_CONFIG is refused" err &&
		AUPCTL_DB=$TRASH/school.db test_expect_code 78 aupctl user list 2>err &&
		grep "error: AUPCTL_DB is refused" err &&
		AUPCTL_DATADIR=$TRASH test_expect_code 78 aupctl user list 2>err &&
		grep "error: AUPCTL_DATADIR is refused" err
	)
'

test_expect_success 'policy keys change behaviour' '
	printf "[password.staff]\nmin_length = 20\n" >long.ini &&
	echo "maple-otter-cloud-42" | aupctl password check --role staff &&
	echo "maple-otter-cloud-4" | test_expect_code 1 aupctl --config long.ini password check --role staff >out &&
	grep "at least 20 characters" out
'

test_done
