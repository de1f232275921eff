#!/bin/bash
# The command line itself: help, version, usage errors and exit codes.
. "$(dirname "$0")/test-lib.sh"

test_expect_success '--version prints the version' '
	aupctl --version >out &&
	grep -E "^aupctl [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success '--help lists every command group' '
	aupctl --help >out &&
	for c in init "user add" "user list" "password reset" check auth log \
	    "db backup"; do grep -q "^  $c " out || { echo "missing $c"; exit 1; }; done
'

test_expect_success 'every command has --help, generated from its table' '
	aupctl synopsis >synopsis &&
	test_line_count -ge 15 synopsis &&
	while read -r _ cmd sub _; do
		case $sub in --*|\[*|USER|FILE|"") sub=;; esac
		aupctl $cmd $sub --help >help || exit 1
		grep -q "^usage: aupctl $cmd" help || exit 1
	done <synopsis
'

test_expect_success 'help COMMAND is COMMAND --help' '
	aupctl help user add >a &&
	aupctl user add --help >b &&
	test_cmp a b
'

test_expect_success 'no command is a usage error (64)' '
	test_expect_code 64 aupctl 2>err &&
	grep "^usage: aupctl" err
'

test_expect_success 'unknown command exits 64 with a hint' '
	test_expect_code 64 aupctl frobnicate 2>err &&
	grep "^aupctl: error: unknown command .frobnicate." err &&
	grep "^aupctl: hint: " err
'

test_expect_success 'unknown option exits 64' '
	test_expect_code 64 aupctl user list --colour 2>err &&
	grep "unknown option --colour" err
'

test_expect_success 'options are never abbreviated, global ones included' '
	test_expect_code 64 aupctl user list --sea x 2>err &&
	grep "unknown option --sea .*never abbreviated" err &&
	test_expect_code 64 aupctl --form csv user list 2>err &&
	grep "unknown option --form .*never abbreviated" err
'

test_expect_success 'a refused option is named alone, never with a value' '
	test_expect_code 64 aupctl --db /tmp/private.db -Zsecret user list 2>err &&
	grep "unknown option -Z$" err &&
	test_expect_code 64 aupctl user list --role staff -Zq 2>err &&
	grep "unknown option -Z for" err &&
	test_expect_code 64 aupctl --password=secret user list 2>err &&
	grep "unknown option --password$" err &&
	! grep -e secret -e private err
'

test_expect_success 'unknown format exits 64' '
	test_expect_code 64 aupctl --format xml user list 2>err &&
	grep "unknown format" err
'

test_expect_success 'missing database exits 66 and says how to make one' '
	test_expect_code 66 aupctl user list 2>err &&
	grep "no database at $AUPCTL_DB" err &&
	grep "aupctl init" err
'

test_expect_success 'init creates the database mode 0600' '
	aupctl init --school "Riverside Primary" --final-year 6 >out &&
	grep "created $AUPCTL_DB for Riverside Primary" out &&
	test "$(stat -c %a "$AUPCTL_DB")" = 600
'

test_expect_success 'init refuses to overwrite (73)' '
	test_expect_code 73 aupctl init --school Other 2>err &&
	grep "already exists" err
'

test_expect_success 'a failed init says why and leaves no file behind' '
	test_expect_code 65 aupctl --db "$TRASH/bad.db" init \
		--school "$(printf "Bad\001Name")" 2>err &&
	grep "control characters" err &&
	! ls "$TRASH"/bad.db*
'

test_expect_success 'init without a school name is a usage error' '
	test_expect_code 64 aupctl --db "$TRASH/other.db" init 2>err &&
	grep "needs a name" err &&
	test ! -e "$TRASH/other.db"
'

test_expect_success 'default path follows XDG_DATA_HOME' '
	(unset AUPCTL_DB; aupctl init --school X >out) &&
	test -f "$XDG_DATA_HOME/aupctl/aupctl.db" &&
	test "$(stat -c %a "$XDG_DATA_HOME/aupctl")" = 700
'

test_expect_success 'bash completion is generated from the command table' '
	aupctl completion bash >comp &&
	bash -c ". ./comp && COMP_WORDS=(aupctl user a); COMP_CWORD=2; _aupctl && echo \${COMPREPLY[*]}" >out &&
	grep -w add out &&
	bash -c ". ./comp && COMP_WORDS=(aupctl user add --pa); COMP_CWORD=3; _aupctl && echo \${COMPREPLY[*]}" >out &&
	grep -w -- --password-stdin out
'

test_expect_success 'the man page synopsis is the command table, verbatim' '
	aupctl synopsis | sed "s/-/\\\\-/g" >want &&
	test_line_count -ge 15 want &&
	while IFS= read -r line; do
		grep -qxF -- "$line" "$AUPCTL_SRCDIR/man/aupctl.1" ||
		{ echo "not in aupctl.1: $line"; exit 1; }
	done <want
'

test_expect_success 'every command has its own section in the man page' '
	aupctl synopsis | while read -r _ cmd sub _; do
		case $sub in [a-z]*) ;; *) sub=;; esac
		grep -qx "\.SS \"$cmd${sub:+ $sub}\"" "$AUPCTL_SRCDIR/man/aupctl.1" ||
		{ echo "no section for $cmd $sub"; exit 1; }
	done
'

test_expect_success 'the man page documents every option in the table' '
	aupctl completion bash | grep -o -- "--[a-z-]*" | sort -u |
		sed "s/-/\\\\-/g" >opts &&
	test_line_count -ge 30 opts &&
	while IFS= read -r opt; do
		grep -qF -- "$opt" "$AUPCTL_SRCDIR/man/aupctl.1" ||
		{ echo "$opt not in aupctl.1"; exit 1; }
	done <opts
'

test_done
