#!/bin/bash
# Output as a network manager meets it: tables that cut names but never
# usernames or times, new credentials in one shape, times with their zone,
# and bash completion of values, files and usernames.
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq SCRIPT 'script -qec true /dev/null'

# Run aupctl ARGS on a terminal COLS wide (script(1) gives it a pty); the
# screen, without carriage returns, on stdout.
on_terminal() {
	cols=$1
	shift
	script -qec "stty cols $cols; $AUPCTL $*" /dev/null | tr -d "\r"
}

# What bash completes the words WORDS to when the cursor is at the end of
# the last one ("" completes an empty word), one a line.
complete() {
	aupctl completion bash >comp.bash &&
	bash -c '. ./comp.bash && COMP_WORDS=("$@") &&
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _aupctl &&
		for w in "${COMPREPLY[@]}"; do echo "$w"; done' complete "$@" |
		sort
}

test_expect_success 'setup' '
	at "2026-11-23 13:52:00" aupctl init --school "Riverside" \
		--final-year 6 &&
	at "2026-11-23 13:52:00" aupctl user add --role pupil \
		--first "Saoirse-Bláthnaid" --last "Mac Giolla Phádraig" \
		--year 4 --class 4A --username 20smacgiollaphadraig -q &&
	at "2026-11-23 14:05:00" aupctl user add --role staff \
		--first Amy --last Smith -q
'

test_expect_success SCRIPT 'an 80-column table cuts names, never usernames or times' '
	on_terminal 80 user list --class 4A >out &&
	grep "^[0-9]*  *20smacgiollaphadraig  " out &&
	grep "…" out &&
	! grep "Saoirse-Bláthnaid" out &&
	on_terminal 80 log >out &&
	grep "  2026-11-23 13:52:0[0-9]  .*  20smacgiollaphadraig  " out &&
	! grep "20smacgiollaph…" out
'

test_expect_success SCRIPT '--wide cuts nothing on a terminal' '
	on_terminal 80 --wide user list --class 4A >out &&
	grep "  Saoirse-Bláthnaid  Mac Giolla Phádraig  " out &&
	! grep "…" out
'

test_expect_success 'nothing is cut when stdout is not a terminal' '
	COLUMNS=40 aupctl user list --class 4A >out &&
	grep "  Saoirse-Bláthnaid  Mac Giolla Phádraig  " out &&
	! grep "…" out
'

test_expect_success 'new credentials: username, name, class, password in csv' '
	aupctl --format csv user add --role pupil --first Zoë --last Ng \
		--year 5 --class 5B --generate-password >out 2>err &&
	echo "username,name,class,password" >expect &&
	head -1 out >header &&
	test_cmp expect header &&
	test_line_count = 2 out &&
	grep -E "^[0-9]{2}zng,Zoë Ng,5B,[a-z]+(-[a-z]+)+-[0-9]{2}$" out &&
	grep "shown once" err
'

test_expect_success 'the same shape from password reset, in every format' '
	aupctl --format tsv password reset asmith >out 2>err &&
	printf "username\tname\tclass\tpassword\n" >expect &&
	head -1 out >header &&
	test_cmp expect header &&
	grep -E "^asmith	Amy Smith		[a-z-]+[0-9]{2}$" out &&
	aupctl --format json password reset asmith >out 2>err &&
	python3 -c "
import json; v=json.load(open(\"out\"))
assert [list(o) for o in v] == [[\"username\",\"name\",\"class\",\"password\"]], v
assert v[0][\"username\"] == \"asmith\" and v[0][\"class\"] is None, v" &&
	aupctl password reset asmith >out 2>err &&
	grep "^username  name       class  password$" out &&
	grep -E "^asmith    Amy Smith         [a-z-]+[0-9]{2}$" out
'

test_expect_success 'the shown-once note goes to stderr, and not with -q' '
	aupctl password reset asmith >out 2>err &&
	! grep "shown once" out &&
	grep "^(shown once: give it to Amy Smith now)$" err &&
	aupctl -q password reset asmith >out 2>err &&
	test_line_count = 2 out &&
	test ! -s err &&
	aupctl -q --format csv password reset asmith >out 2>err &&
	test ! -s err
'

test_expect_success '--no-header: rows alone in csv and tsv, for appending' '
	aupctl --format csv --no-header password reset asmith >out &&
	test_line_count = 1 out &&
	grep "^asmith,Amy Smith,," out &&
	aupctl --format tsv user list --no-header >out &&
	test_line_count = 3 out &&
	! grep "^id" out
'

test_expect_success 'many commands, one clean credentials file' '
	aupctl -q --format csv user add --role staff --first Bo --last Li \
		--generate-password >new.csv &&
	aupctl -q --format csv --no-header user add --role pupil --first Al \
		--last Ek --year 6 --class 6A --generate-password >>new.csv &&
	aupctl -q --format csv --no-header password reset bli >>new.csv &&
	test_line_count = 4 new.csv &&
	test "$(grep -c "^username,name,class,password$" new.csv)" = 1 &&
	test "$(awk -F, "NF != 4" new.csv | wc -l)" = 0
'

test_expect_success 'machine output gives RFC 3339 times with the offset' '
	aupctl --format csv log >out &&
	grep "^1,2026-11-23T13:52:0[0-9]+00:00,.*db.init" out &&
	TZ=EST5 aupctl --format csv log >out &&
	grep "^1,2026-11-23T08:52:0[0-9]-05:00,.*db.init" out &&
	aupctl --format json user show asmith >out &&
	grep -E "\"created\":\"2026-11-23T14:05:0[0-9]\+00:00\"" out
'

test_expect_success 'the log table shows seconds, in local time' '
	aupctl log >out &&
	grep "^1  *2026-11-23 13:52:0[0-9]  " out &&
	TZ=EST5 aupctl log >out &&
	grep "^1  *2026-11-23 08:52:0[0-9]  " out
'

test_expect_success 'dates in: Z and offsets as well as local time' '
	aupctl --format csv log --since 2026-11-23T14:00Z >out &&
	! grep db.init out &&
	grep ",asmith," out &&
	aupctl --format csv log --since 2026-11-23T15:00+01:00 >out &&
	! grep db.init out &&
	grep ",asmith," out &&
	aupctl --format csv log --since 2026-11-23T08:50-05:00 >out &&
	grep db.init out &&
	aupctl --format csv log --since "2026-11-23 13:50" >out &&
	grep db.init out &&
	test_expect_code 64 aupctl log --since 2026-11-23T13:00Q 2>err &&
	grep "not a date" err &&
	grep "hint: .*2026-09-01T15:30Z" err
'

test_expect_success 'an end time keeps its time: suspend --until 15:30' '
	TEST_NOW="2026-11-23 15:00:00" &&
	aupctl user suspend asmith --reason "category B" \
		--until 2026-12-01T15:30 &&
	aupctl user show asmith >out &&
	grep "^status_until  *2026-12-01 15:30:00$" out &&
	aupctl --format csv log --user asmith >out &&
	grep "\"\"until\"\":\"\"2026-12-01T15:30:00+00:00\"\"" out &&
	aupctl user reactivate asmith &&
	aupctl user suspend asmith --reason x --until 2026-12-01T15:30+01:00 &&
	aupctl --format json user show asmith >out &&
	grep "\"status_until\":\"2026-12-01T14:30:00+00:00\"" out &&
	TEST_NOW=
'

test_expect_success 'completion: --format, --role, --ks, --status, --year values' '
	complete aupctl --format "" >out &&
	printf "csv\njson\ntable\ntsv\n" >expect &&
	test_cmp expect out &&
	complete aupctl user list --role st >out &&
	echo staff >expect &&
	test_cmp expect out &&
	complete aupctl user list --ks KS >out &&
	test_line_count = 5 out &&
	complete aupctl user list --status s >out &&
	echo suspended >expect &&
	test_cmp expect out &&
	complete aupctl user add --year 1 >out &&
	printf "1\n10\n11\n12\n13\n" >expect &&
	test_cmp expect out &&
	complete aupctl auth --protocol "" >out &&
	printf "pam\nsquid\n" >expect &&
	test_cmp expect out &&
	complete aupctl user list --role staff --format j >out &&
	echo json >expect &&
	test_cmp expect out
'

test_expect_success 'completion: file names for --db, --config, --slip, db backup' '
	mkdir -p dir && touch dir/school-a.db dir/school-b.db dir/x.ini &&
	complete aupctl --db dir/sch >out &&
	printf "dir/school-a.db\ndir/school-b.db\n" >expect &&
	test_cmp expect out &&
	complete aupctl user list --config dir/x >out &&
	echo dir/x.ini >expect &&
	test_cmp expect out &&
	complete aupctl password reset asmith --slip dir/x >out &&
	test_cmp expect out &&
	complete aupctl db backup dir/x >out &&
	test_cmp expect out
'

test_expect_success 'completion: usernames for USER arguments and --user' '
	complete aupctl user show a >out &&
	echo asmith >expect &&
	test_cmp expect out &&
	complete aupctl user suspend 20s >out &&
	echo 20smacgiollaphadraig >expect &&
	test_cmp expect out &&
	complete aupctl log --user 20smac >out &&
	test_cmp expect out &&
	complete aupctl password reset "" >out &&
	grep -x asmith out && grep -x bli out &&
	complete aupctl user show --format csv a >out &&
	echo asmith >expect &&
	test_cmp expect out
'

test_expect_success 'completion: usernames come from the --db on the line' '
	aupctl --db other.db init --school Other -q &&
	aupctl --db other.db user add --role staff --first Ann --last Aye -q &&
	complete aupctl --db other.db user show a >out &&
	echo aaye >expect &&
	test_cmp expect out &&
	complete aupctl user show --db=other.db a >out &&
	test_cmp expect out
'

test_expect_success 'completion: free text completes to nothing, not options' '
	complete aupctl user suspend asmith --reason "" >out &&
	test ! -s out &&
	complete aupctl user add --role "" >out &&
	! grep -e "^--" out
'

test_expect_success 'completion: help completes commands and subcommands' '
	complete aupctl help u >out &&
	echo user >expect &&
	test_cmp expect out &&
	complete aupctl help user su >out &&
	echo suspend >expect &&
	test_cmp expect out &&
	complete aupctl completion "" >out &&
	echo bash >expect &&
	test_cmp expect out
'

test_expect_success 'csv and tsv cells that a spreadsheet would run are quoted' '
	aupctl user add --role staff --first "=HYPERLINK(\"x\")" --last "@Sum" \
		--username formula -q &&
	aupctl --format csv user list --search formula >out &&
	grep "^[0-9]*,formula,\"'\''=HYPERLINK(\"\"x\"\")\",'\''@Sum," out &&
	aupctl --format tsv user list --search formula >out &&
	grep "^[0-9]*	formula	'\''=HYPERLINK(\"x\")	'\''@Sum	" out &&
	aupctl --format json user list --search formula >out &&
	grep "\"first\": *\"=HYPERLINK(\\\\\"x\\\\\")\"" out &&
	aupctl user edit formula --first "-1+2" --last "+Plus" &&
	aupctl --format csv user list --search formula >out &&
	grep "^[0-9]*,formula,'\''-1+2,'\''+Plus," out
'

test_expect_success 'tsv escapes a backslash; csv doubles a quote' '
	aupctl user add --role staff --first "Ba\\ck\\" --last "O\"Ha\"ra" \
		--username quoted -q &&
	aupctl --format tsv user list --search quoted >out &&
	grep -F "	quoted	Ba\\\\ck\\\\	O\"Ha\"ra	staff	" out &&
	aupctl --format csv user list --search quoted >out &&
	grep -F ",quoted,Ba\\ck\\,\"O\"\"Ha\"\"ra\",staff," out
'

test_expect_success 'a negative number stays a number in csv and tsv' '
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
c.execute(\"UPDATE users SET id = -7 WHERE username = \x27formula\x27\")
c.commit()" &&
	aupctl --format csv user list --role staff >out &&
	grep "^-7,formula,'\''-1+2," out &&
	aupctl --format tsv user list --role staff >out &&
	grep "^-7	formula	" out
'

test_done
