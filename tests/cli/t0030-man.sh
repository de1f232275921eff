#!/bin/bash
# The man pages as a reader meets them: every line fits an 80-column
# terminal; aupctl(1) has examples for every command group, and each of them
# works, run in order on a new database; db check exits as its section says.
. "$(dirname "$0")/test-lib.sh"

MANDIR=${AUPCTL_MANDIR:?AUPCTL_MANDIR must name the built man pages}
MAN=$MANDIR/aupctl.1
# The examples suspend a pupil until 2026-12-01: still ahead at this moment.
TEST_NOW="2026-11-23 10:00:00"
# The password the examples' script holds (see EXAMPLES, "Passwords").
pw=plum-orbit-canal-47
unset MANOPT MANPAGER PAGER MAN_KEEP_FORMATTING MANROFFOPT

# man-db renders a page given by path, as plain text when not on a terminal;
# bash counts characters, not bytes, in this (UTF-8) locale.
test_lazy_prereq MAN '
	MANWIDTH=80 man -l "$MAN" >out 2>/dev/null &&
	grep -q "^SYNOPSIS" out &&
	x="—" && test "${#x}" = 1
'

# render PAGE: the page as man shows it on an 80-column terminal.
render() {
	MANWIDTH=80 man -l "$1" 2>/dev/null
}

# too_wide FILE: print each line of FILE longer than 80 characters, with its
# length; fail when there is one.
too_wide() {
	wide=0
	while IFS= read -r line; do
		if [ "${#line}" -gt 80 ]; then
			printf "%d: %s\n" "${#line}" "$line"
			wide=1
		fi
	done <"$1"
	[ "$wide" = 0 ]
}

test_expect_success MAN 'aupctl(1), aupctl.ini(5) and auptui(1) fit in 80 columns' '
	for page in aupctl.1 aupctl.ini.5 auptui.1; do
		render "$MANDIR/$page" >"$page.txt" &&
		test_line_count -ge 100 "$page.txt" &&
		too_wide "$page.txt" ||
		{ echo "$page is wider than 80 columns"; exit 1; }
	done
'

test_expect_success MAN 'a synopsis line too long for 80 columns is caught' '
	long="aupctl user add --role R --first F --last L [--year Y] [--class C] [--mis-id ID]" &&
	awk -v long="$long" "/^\\.SH SYNOPSIS/ { syn = 1 }
		syn && /^\\.fi/ { print long; syn = 0 } { print }" "$MAN" >long.1 &&
	render long.1 >long.txt &&
	! too_wide long.txt >wide &&
	test_line_count = 1 wide &&
	grep "^87: *aupctl user add --role R .* \[--mis-id ID\]$" wide
'

# The command lines of EXAMPLES as the shell reads them, one a line: the
# lines of its .nf blocks with roff's escapes undone, and a line ending in
# a backslash joined to the next.
awk '/^\.SH / { on = ($0 == ".SH EXAMPLES"); next }
	on && /^\.nf/ { nf = 1; next }
	on && /^\.fi/ { nf = 0; next }
	on && nf' "$MAN" >examples.roff
sed 's/\\-/-/g; s/\\(aq/'\''/g; s/\\f[BIRP]//g; s/\\&//g; s/\\e/\\/g' \
	examples.roff |
	awk '{ if (cont) { sub(/^ +/, ""); line = line " " $0 } else line = $0
		cont = sub(/ *\\$/, "", line)
		if (!cont) print line }' >examples.sh
mapfile -t examples <examples.sh

# example_command LINE: the command it runs ("user add", "check"), past
# the global options.
example_command() {
	printf "%s\n" "$1" |
		grep -oE "aupctl( (-q|--quiet|--wide|--no-header|--(format|db|config) [^ ]+))* [a-z]+( [a-z]+)?" |
		head -1 |
		sed -E "s/^aupctl( (-q|--quiet|--wide|--no-header|--(format|db|config) [^ ]+))* //"
}

test_expect_success 'aupctl(1) has EXAMPLES, for every command group' '
	grep -qx "\.SH EXAMPLES" "$MAN" &&
	test "${#examples[@]}" -ge 20 &&
	aupctl synopsis | awk "{ print \$2 }" | sort -u >groups &&
	test_line_count -ge 10 groups &&
	for line in "${examples[@]}"; do
		example_command "$line"
	done | awk "{ print \$1 }" | sort -u >have &&
	comm -23 groups have >missing &&
	{ test ! -s missing || { sed "s/^/no example for: /" missing; false; }; }
'

test_expect_success 'the examples are plain: no roff escape left in them' '
	sed "s/\\\\-//g; s/\\\\(aq//g; s/\\\\f[BIRP]//g; s/\\\\&//g; s/\\\\e//g" \
		examples.roff >plain &&
	! grep -n "\\\\" plain
'

# Run one example here. Only the commands that exit 1 when they find
# something (check, password expired, password check) may exit 1.
example_run() {
	eval "$1" </dev/null >"example.$2.out"
	rc=$?
	case $rc:$(example_command "$1") in
	0:* | 1:check | "1:password expired" | "1:password check" | \
		"1:aup audit") return 0 ;;
	esac
	echo "exit $rc: $1" >&2
	return 1
}

# The file the import examples bring in.
cp "$AUPCTL_SRCDIR/data/samples/sims-primary.csv" sims.csv
# The stack of paper forms the batch example records.
cat >signed.csv <<\EOF
username,signer,relationship,date
mis:V999241722909,Jo Baker,parent,2026-09-15
mis:B999241720971,Femi Adeyemi,parent,2026-09-15
EOF
n=0
for line in "${examples[@]}"; do
	n=$((n + 1))
	test_expect_success FAKETIME "example: $line" 'example_run "$line" $n'
done

test_expect_success FAKETIME 'the examples did what they say' '
	test "$(stat -c %a zoe.txt)" = 600 &&
	test "$(stat -c %a class1a.txt)" = 600 &&
	test "$(stat -c %a slips.txt)" = 600 &&
	grep -q "^2,class-logon," plan.csv &&
	grep -q ",Siân,Ó Briain,pupil,5,KS2,5B," pupils.csv &&
	grep -q "\"username\":\"zoneill\"" zoneill.json &&
	test_line_count = 1 new.csv &&
	grep -q ",Siân Ó Briain,5C," new.csv &&
	grep -q ",user.suspend,.*incident 42" log.csv &&
	grep -q "^role,staff,1,1,100.0$" governors.csv &&
	aupctl --format csv aup history mis:V999241722909 >history &&
	grep -q ",2026-27,pupil-early,1,2026-09-15,Jo Baker,parent," history &&
	ls "$HOME"/aupctl-*.db >backups &&
	test_line_count = 1 backups &&
	cat example.*.out >all.out &&
	grep -x OK all.out &&
	aupctl --format csv user show mis:A820201200001 >sian &&
	grep -q ",A820201200001,,active," sian &&
	aupctl --format csv operator list >ops &&
	grep -qx "mrsbell,office" ops &&
	! grep -q "^head," ops
'

test_expect_success 'db check exits as aupctl(1) says: 1 for damage, 65 for no database' '
	awk "/^\\.SS \"db check\"/ { on = 1; next } /^\\.S[SH] / { on = 0 } on" \
		"$MAN" | tr "\n" " " >section &&
	grep -q "Exit 1 when any fails, damage SQLite itself reports included" section &&
	grep -q "cannot be opened as a database at all is exit 65" section &&
	aupctl --db "$TRASH/d.db" init --school D >/dev/null &&
	aupctl --db "$TRASH/d.db" user add --role staff --first A --last B -q &&
	python3 -c "
import sqlite3
c = sqlite3.connect(\"d.db\")
ps = c.execute(\"PRAGMA page_size\").fetchone()[0]
root = c.execute(\"SELECT rootpage FROM sqlite_master WHERE name = \x27users\x27\").fetchone()[0]
c.close()
with open(\"d.db\", \"r+b\") as f:
    f.seek((root - 1) * ps)
    f.write(b\"\xff\" * 8)
" &&
	test_expect_code 1 aupctl --db "$TRASH/d.db" db check >out &&
	! grep "^integrity: *ok" out &&
	echo "not a database" >junk.db &&
	test_expect_code 65 aupctl --db "$TRASH/junk.db" db check
'

test_done
