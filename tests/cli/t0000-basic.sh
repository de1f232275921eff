#!/bin/bash
# The command line itself: help, version, usage errors and exit codes.
. "$(dirname "$0")/test-lib.sh"

# The man page as built, with this build's paths in it.
MAN="${AUPCTL_MANDIR:?AUPCTL_MANDIR must name the built man pages}/aupctl.1"

# The path of every command in the table ("init", "user add"), one a line:
# the second word of a synopsis line is a subcommand when the first is a
# group, as the completion script (from the same table) knows.
commands() {
	aupctl completion bash |
		sed -n "s/^    \"\([a-z]*\) \")  *words=.*/\1/p" >groups
	aupctl synopsis | while read -r _ cmd sub _; do
		if grep -qx "$cmd" groups; then
			echo "$cmd $sub"
		else
			echo "$cmd"
		fi
	done
}

# The man page's SYNOPSIS, one command a line as the table writes it (with
# the man page's \- for -): fonts dropped, and a wrapped line, indented,
# joined to the one before.
man_synopsis() {
	sed -n "/^\.SH SYNOPSIS/,/^\.SH /p" "$MAN" | grep -v "^\." |
		sed "s/\\\\f[BIRP]//g" |
		awk '/^ / { sub(/^ +/, " "); line = line $0; next }
			line != "" { print line } { line = $0 }
			END { if (line != "") print line }'
}

# The long options in the "Options:" list of a --help (from the table),
# without the leading dashes, sorted; "help" is every command's.
help_opts() {
	sed -n "/^$1:/,/^\$/p" | grep -oE "^  (-[a-z], )?--[a-z-]+" |
		sed "s/.*--//" | grep -vx help | sort -u
}

# The options a --help lists under its heading $1 ("Options", "Global
# options.*") as it writes them ("--role R", "-q, --quiet"), sorted.
help_items() {
	sed -n "/^$1:/,/^\$/p" |
		sed -n "s/^  \(-[^ ]*\( [^ ]\{1,\}\)*\)\(  .*\)\{0,1\}\$/\1/p" | sort
}

# The items of the man page section headed by the line $1, as --help
# writes them: the line after each .TP, fonts dropped, sorted.
man_items() {
	awk -v head="$1" '$0 == head { on = 1; next }
		/^\.S[SH] / { on = 0 }
		on && tp { print }
		{ tp = on && $0 == ".TP" }' "$MAN" |
		sed "s/\\\\f[BIRP]//g; s/\\\\-/-/g" | sort
}

# The long options the man page documents for the command at path $1: each
# \fB\-\-name in its .SS section. A mention of another command's option
# names that command inside the bold (\fBcheck \-\-mark\fR).
man_opts() {
	awk -v head=".SS \"$1\"" '$0 == head { on = 1; next }
		/^\.S[SH] / { on = 0 } on' "$MAN" |
		grep -oE "\\\\fB\\\\-\\\\-[a-z]+(\\\\-[a-z]+)*" |
		sed "s/^.fB//; s/\\\\-/-/g; s/^--//" | sort -u
}

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
	commands >paths &&
	test_line_count -ge 17 paths &&
	aupctl synopsis >synopsis &&
	while read -r path; do
		aupctl $path --help >help || exit 1
		grep -q "^usage: aupctl $path" help || exit 1
		grep -q "^  -h, --help " help || exit 1
	done <paths &&
	for g in user password db; do
		aupctl $g --help >help &&
		grep -q "^usage: aupctl $g SUBCOMMAND" help || exit 1
	done
'

test_expect_success '-h is --help on every command, group and help itself' '
	commands >paths &&
	grep -qx completion paths &&
	{ cat paths; echo user; echo password; echo db; echo help; } |
	while read -r path; do
		aupctl $path -h >short || { echo "$path -h failed"; exit 1; }
		aupctl $path --help >long &&
		test_cmp long short &&
		grep -q "^usage: aupctl $path" short ||
		{ echo "$path -h is not its help"; exit 1; }
	done &&
	aupctl -h >short && aupctl --help >long && test_cmp long short &&
	grep -q "^  completion  " short
'

test_expect_success 'the usage line in --help is the synopsis line' '
	commands | while read -r path; do
		aupctl $path --help | sed -n "1s/^usage: //p"
	done >usages &&
	aupctl synopsis >synopsis &&
	test_cmp synopsis usages
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
	grep -w -- --password-stdin out &&
	bash -c ". ./comp && COMP_WORDS=(aupctl --db x.db user list --fo); COMP_CWORD=5; _aupctl && echo \${COMPREPLY[*]}" >out &&
	grep -w -- --format out &&
	bash -c ". ./comp && COMP_WORDS=(aupctl comp); COMP_CWORD=1; _aupctl && echo \${COMPREPLY[*]}" >out &&
	grep -w completion out
'

test_expect_success 'the man page synopsis is the command table, verbatim' '
	{ aupctl --help | sed -n "1s/^usage: //p"; aupctl synopsis; } |
		sed "s/-/\\\\-/g" >want &&
	test_line_count -ge 18 want &&
	man_synopsis >have &&
	test_cmp want have
'

test_expect_success 'a synopsis line is wrapped between options, indented' '
	sed -n "/^\.SH SYNOPSIS/,/^\.SH /p" "$MAN" | grep -v "^\." |
		sed "s/\\\\f[BIRP]//g" >lines &&
	grep "^ " lines >wrapped &&
	test_line_count -ge 4 wrapped &&
	while IFS= read -r line; do
		open=$(printf "%s" "$line" | tr -cd "[" | wc -c) &&
		shut=$(printf "%s" "$line" | tr -cd "]" | wc -c) &&
		test "$open" = "$shut" ||
		{ echo "wrapped inside brackets: $line"; exit 1; }
	done <lines &&
	! grep -vE "^ +(\[|\\\\-|[A-Z])" wrapped
'

test_expect_success 'every command has its own section in the man page' '
	commands | while read -r path; do
		grep -qx "\.SS \"$path\"" "$MAN" ||
		{ echo "no section for $path"; exit 1; }
	done
'

test_expect_success 'each man section documents exactly its table options' '
	{ aupctl --help | help_opts "Global options.*"; echo help; } |
		sort >globals &&
	test_line_count = 8 globals &&
	commands >paths &&
	while read -r path; do
		aupctl $path --help | help_opts Options >table &&
		man_opts "$path" >page &&
		comm -23 table page >undocumented &&
		comm -13 table page | comm -23 - globals >unknown &&
		if test -s undocumented || test -s unknown; then
			sed "s/^/$path: not in its aupctl.1 section: --/" \
				undocumented
			sed "s/^/$path: in aupctl.1 but not the table: --/" \
				unknown
			exit 1
		fi
	done <paths
'

test_expect_success 'the man page lists each option as an item, as --help' '
	aupctl --help | help_items "Global options.*" >want &&
	test_line_count = 8 want &&
	man_items ".SH GLOBAL OPTIONS" >have &&
	test_cmp want have &&
	commands >paths &&
	while read -r path; do
		aupctl $path --help | help_items Options |
			sed "/^-h, --help\$/d" >want &&
		man_items ".SS \"$path\"" >have &&
		test_cmp want have ||
		{ echo "the items under $path are not its options"; exit 1; }
	done <paths
'

test_expect_success 'no command has an option named like a global one' '
	aupctl --help | help_opts "Global options.*" >globals &&
	commands | while read -r path; do
		aupctl $path --help >help &&
		help_opts Options <help >table &&
		comm -12 globals table | sed "s/^/$path: --/" &&
		sed -n "/^Options:/,/^\$/p" help | grep -E "^  -[qh], --" |
			grep -v -- "--help" | sed "s/^/$path: /"
	done >clash &&
	{ test ! -s clash || { cat clash; false; }; }
'

test_expect_success 'global options go after the command too' '
	aupctl user add --role staff --first Amy --last Smith -q >out &&
	{ test ! -s out || { cat out; false; }; } &&
	aupctl user list --role staff --format csv >out &&
	head -1 out >header &&
	echo "id,username,first,last,role,year,ks,class,status" >expect &&
	test_cmp expect header &&
	grep -q ",asmith,Amy,Smith,staff," out &&
	aupctl user --format json list >out &&
	grep -q "\"username\":\"asmith\"" out &&
	test_expect_code 66 aupctl user list --db "$TRASH/none.db" 2>err &&
	grep "no database at $TRASH/none.db" err &&
	test_expect_code 78 aupctl user list --config "$TRASH/none.ini" 2>err &&
	grep "none.ini" err &&
	aupctl user list --role staff -h >out &&
	grep "^usage: aupctl user list" out &&
	aupctl user list --version >out &&
	grep "^aupctl [0-9]" out
'

test_expect_success 'the README example: user list --ks KS2 --format csv' '
	aupctl user add --role pupil --first Zoe --last Ng --year 4 -q &&
	aupctl user list --ks KS2 --format csv >out &&
	test_line_count = 2 out &&
	grep -q ",Zoe,Ng,pupil,4,KS2," out
'

test_expect_success 'a required option is refused by the parser, named (64)' '
	test_expect_code 64 aupctl --db "$TRASH/none.db" user suspend asmith \
		2>err &&
	grep "^aupctl: error: user suspend needs --reason (missing: --reason)" \
		err &&
	grep "^aupctl: hint: usage: aupctl user suspend USER --reason TEXT" \
		err &&
	test_expect_code 64 aupctl user add --first A 2>err &&
	grep "needs --role, --first and --last (missing: --role and --last)" err
'

test_expect_success 'options that exclude each other are refused (64)' '
	before=$(aupctl --format csv user list | wc -l) &&
	test_expect_code 64 aupctl --db "$TRASH/none.db" user add --role staff \
		--first A --last B --password-stdin --generate-password \
		</dev/null 2>err &&
	grep "^aupctl: error: choose one of --password-stdin and" err &&
	grep "and --generate-password$" err &&
	test_expect_code 64 aupctl user add --role staff --first A --last B \
		--generate-password --password-stdin </dev/null &&
	test "$(aupctl --format csv user list | wc -l)" = "$before"
'

test_expect_success 'a mistyped command or subcommand: did you mean (64)' '
	test_expect_code 64 aupctl usr list 2>err &&
	grep "^aupctl: error: unknown command .usr.$" err &&
	grep "^aupctl: hint: did you mean .user.?$" err &&
	test_expect_code 64 aupctl user lsit 2>err &&
	grep "^aupctl: hint: did you mean .list.?$" err &&
	test_expect_code 64 aupctl pasword reset asmith 2>err &&
	grep "^aupctl: hint: did you mean .password.?$" err &&
	test_expect_code 64 aupctl pass 2>err &&
	grep "^aupctl: hint: did you mean .password.?$" err &&
	test_expect_code 64 aupctl help usr 2>err &&
	grep "^aupctl: hint: did you mean .user.?$" err &&
	test_expect_code 64 aupctl frobnicate 2>err &&
	! grep "did you mean" err
'

test_expect_success 'a mistyped long option: did you mean (64)' '
	test_expect_code 64 aupctl user list --serach x 2>err &&
	grep "^aupctl: hint: did you mean --search?$" err &&
	test_expect_code 64 aupctl user list --fromat csv 2>err &&
	grep "^aupctl: hint: did you mean --format?$" err &&
	test_expect_code 64 aupctl --form csv user list 2>err &&
	grep "^aupctl: hint: did you mean --format?$" err
'

test_expect_success 'a group summary names every subcommand of it' '
	aupctl user --help >out &&
	sed -n "3p" out >summary &&
	for sub in $(sed -n "/^Subcommands:/,\$s/^  \([a-z-]*\) .*/\1/p" out); do
		grep -q "\<$sub\>" summary || { echo "missing $sub"; return 1; }
	done
'

test_done
