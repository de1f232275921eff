#!/bin/bash
# Acceptable use agreements end to end, in a primary school: who owes which
# form, who may sign it, one signature a year, the audit on both sides of
# 1 September, logins refused after the grace period when enforced, a stack
# of paper forms all or nothing, versions of a school's own forms, the
# governors' summary, and what an auditor may do.
. "$(dirname "$0")/test-lib.sh"

PW=maple-otter-cloud-42
# The first academic year of the story, and a day in it.
NOW="2026-10-01 10:00:00"
# The next academic year: inside its grace period, after it, and a day on
# which everyone owes that year's agreement.
GRACE="2027-09-10 10:00:00"
AFTER="2027-10-15 10:00:00"
NEXT="2027-09-20 10:00:00"

# Cheap hashes; staff passwords never expire, so that the clock can move.
cat >"$TRASH/base.ini" <<EOF
[argon2]
t_cost = 1
m_cost_kib = 64
[school]
final_year = 6
[password.staff]
max_age_days = 0
EOF
export AUPCTL_CONFIG=$TRASH/base.ini
{ cat "$TRASH/base.ini" && printf "[aup]\nenforce = true\ngrace_days = 30\n"; } \
	>"$TRASH/enforce.ini"

# How many entries the audit log holds.
logcount() {
	aupctl --format csv --no-header log | wc -l
}

# audited DATE [OPTION...]: "username,form" of everyone the audit lists
# on DATE, sorted, into got; the audit's exit code is left in audit_rc.
audited() {
	local when=$1
	shift
	at "$when" aupctl --format csv --no-header aup audit "$@" >audit.csv
	audit_rc=$?
	cut -d, -f1,7 audit.csv | sort >got
}

# squid USER PASSWORD DATE [CONFIG]: the answer of auth --protocol squid.
squid() {
	echo "$1 $2" | at "$3" aupctl --config "${4:-$TRASH/base.ini}" \
		auth --protocol squid
}

# aup_state USER DATE [CONFIG]: the agreement line of user show.
aup_state() {
	at "$2" aupctl --config "${3:-$TRASH/base.ini}" user show "$1" |
		sed -n "s/^aup  *//p"
}

test_expect_success FAKETIME 'setup: staff, a governor, a KS1 and a KS2 pupil' '
	at "$NOW" aupctl init --school "Riverside Primary" &&
	echo "$PW" | at "$NOW" aupctl user add --role staff --first Amy \
		--last Smith --password-stdin &&
	at "$NOW" aupctl user add --role governor --first Gil --last Moss &&
	at "$NOW" aupctl user add --role pupil --first Kit --last Lee \
		--year 1 --class 1K --mis-id A1 --username kitlee &&
	at "$NOW" aupctl user add --role pupil --first Tom --last Ray \
		--year 4 --class 4T --mis-id A4 --username tomray &&
	at "$NOW" aupctl user add --role class --first Class --last 1K \
		--year 1 --class 1K --username class1k
'

# Story 1: the issue's "done when".

test_expect_success FAKETIME 'all four owe the form for their role and key stage (exit 1)' '
	audited "$NOW" &&
	test "$audit_rc" = 1 &&
	cat >want <<-\EOF &&
	asmith,staff
	gmoss,governor
	kitlee,pupil-early
	tomray,pupil-ks2
	EOF
	test_cmp want got
'

test_expect_success FAKETIME 'the wrong signer is refused (65), saying who signs' '
	n=$(logcount) &&
	test_expect_code 65 at "$NOW" aupctl aup sign kitlee \
		--relationship self 2>err &&
	grep "KS1 pupil cannot sign for themselves" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign kitlee \
		--signer "Kit Lee" --relationship self 2>err &&
	grep "KS1 pupil cannot sign for themselves" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign tomray \
		--relationship self 2>err &&
	grep "KS2 pupil signs .* a parent or carer countersigns" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign asmith \
		--signer "Pat Smith" --relationship parent 2>err &&
	grep "a parent or carer cannot sign it for them" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign kitlee 2>err &&
	grep "signed by a parent or carer: give the name they signed with" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign tomray 2>err &&
	grep "give the name they signed with" err &&
	test "$(logcount)" = "$n" &&
	audited "$NOW" &&
	test "$audit_rc" = 1 &&
	test_line_count = 4 got
'

test_expect_success FAKETIME 'each signs with the right signer; the audit then exits 0' '
	at "$NOW" aupctl aup sign kitlee --signer "Jo Lee" \
		--relationship parent 2>err &&
	grep "signed by Jo Lee (parent)" err &&
	at "$NOW" aupctl aup sign tomray --signer "Sam Ray" \
		--relationship carer 2>err &&
	grep "signed, countersigned by Sam Ray (carer)" err &&
	at "$NOW" aupctl aup sign asmith &&
	at "$NOW" aupctl aup sign gmoss &&
	at "$NOW" aupctl aup audit >out &&
	grep "everyone has signed for 2026-27" out
'

test_expect_success FAKETIME 'history: who signed, how, and the operator as witness' '
	me=$(id -un) &&
	for u in kitlee tomray asmith gmoss; do
		aupctl --format csv --no-header aup history $u || return 1
	done | cut -d, -f1-10 >got &&
	cat >want <<-EOF &&
	kitlee,2026-27,pupil-early,1,2026-10-01,Jo Lee,parent,false,paper,$me
	tomray,2026-27,pupil-ks2,1,2026-10-01,Sam Ray,carer,true,paper,$me
	asmith,2026-27,staff,1,2026-10-01,Amy Smith,self,true,paper,$me
	gmoss,2026-27,governor,1,2026-10-01,Gil Moss,self,true,paper,$me
	EOF
	test_cmp want got
'

test_expect_success FAKETIME 'signed until the year ends; listed again on 20 September' '
	at "2027-08-31 23:00:00" aupctl aup audit &&
	audited "$NEXT" &&
	test "$audit_rc" = 1 &&
	cat >want <<-\EOF &&
	asmith,staff
	gmoss,governor
	kitlee,pupil-early
	tomray,pupil-ks2
	EOF
	test_cmp want got &&
	at "$NEXT" aupctl aup audit --year 2026-27 >out &&
	grep "everyone has signed for 2026-27" out
'

# Story 2: one signature a year, the next year's, the day, class logons.

test_expect_success FAKETIME 'signing again in the year says so and changes nothing' '
	n=$(logcount) &&
	at "$NOW" aupctl aup sign gmoss 2>err &&
	grep "already" err &&
	at "$NOW" aupctl aup sign gmoss --date 2026-09-15 2>err &&
	grep "already" err &&
	test "$(logcount)" = "$n" &&
	aupctl --format csv --no-header aup history gmoss >h &&
	test_line_count = 1 h
'

test_expect_success FAKETIME '--year signs for next year, listed by history' '
	at "$NOW" aupctl aup sign gmoss --year 2027-28 &&
	aupctl --format csv --no-header aup history gmoss | cut -d, -f2,3,5 >got &&
	printf "2026-27,governor,2026-10-01\n2027-28,governor,2026-10-01\n" >want &&
	test_cmp want got &&
	at "$NEXT" aupctl aup audit --role governor &&
	test_expect_code 65 at "$NOW" aupctl aup sign gmoss --year 2028-29
'

test_expect_success FAKETIME 'a day in the future is refused (65), nothing recorded' '
	n=$(logcount) &&
	test_expect_code 65 at "$NOW" aupctl aup sign asmith --year 2027-28 \
		--date 2026-10-02 2>err &&
	grep "future" err &&
	test "$(logcount)" = "$n" &&
	aupctl --format csv --no-header aup history asmith >h &&
	test_line_count = 1 h
'

test_expect_success FAKETIME 'a class logon is never audited and cannot sign (65)' '
	audited "$NEXT" &&
	! grep class1k audit.csv &&
	at "$NEXT" aupctl aup audit --role class &&
	n=$(logcount) &&
	test_expect_code 65 at "$NOW" aupctl aup sign class1k 2>err &&
	grep "no agreement .* is for class1k" err &&
	test_expect_code 65 at "$NOW" aupctl aup sign class1k --form staff &&
	test_expect_code 65 at "$NOW" aupctl aup sign class1k \
		--signer "Ann Teach" --relationship parent &&
	test "$(logcount)" = "$n"
'

# Story 3: no signature, no access, once the grace period is over.

test_expect_success FAKETIME 'enforced: unsigned but inside the grace period, logins work' '
	echo OK >expect &&
	squid asmith "$PW" "$GRACE" "$TRASH/enforce.ini" >out &&
	test_cmp expect out &&
	squid asmith "$PW" "2027-09-30 23:59:00" "$TRASH/enforce.ini" >out &&
	test_cmp expect out &&
	test "$(aup_state asmith "$GRACE" "$TRASH/enforce.ini")" = "not signed" &&
	at "$GRACE" aupctl --config "$TRASH/enforce.ini" --format csv check >out &&
	! grep "^aup-unsigned," out
'

test_expect_success FAKETIME 'enforced: after the grace period refused; user show and check say why' '
	squid asmith "$PW" "2027-10-01 00:01:00" "$TRASH/enforce.ini" >out &&
	grep "^ERR " out &&
	squid asmith "$PW" "$AFTER" "$TRASH/enforce.ini" >out &&
	grep "^ERR " out &&
	test "$(aup_state asmith "$AFTER" "$TRASH/enforce.ini")" = \
		"not signed: logins refused" &&
	test_expect_code 1 at "$AFTER" aupctl --config "$TRASH/enforce.ini" \
		check >out &&
	grep "^Agreements not signed this year, grace period over (3):" out &&
	grep "^  staff: 1 of 1 not signed for 2027-28, logins refused$" out &&
	grep "^  (aupctl aup audit lists them" out &&
	test_expect_code 1 at "$AFTER" aupctl --config "$TRASH/enforce.ini" \
		--format csv check >out &&
	grep "^aup-unsigned,,,,\"staff: 1 of 1 not signed for 2027-28, logins refused\"$" out &&
	grep "^aup-unsigned,,,,\"pupil: 2 of 2 not signed for 2027-28, logins refused\"$" out &&
	! grep "^aup-unsigned,,,,\"governor:" out
'

test_expect_success FAKETIME 'enforced: a wrong password is answered as any wrong password' '
	echo "ERR message=\"wrong username or password, or too many tries; wait and try again\"" >expect &&
	squid asmith wrong-horse "$AFTER" "$TRASH/enforce.ini" >out &&
	test_cmp expect out
'

# aupctl.ini(5) [aup] enforce: "user show, the log and check give the
# reason". A refused login leaves nothing in the log (auth counts attempts
# rather than logging them, and logs only throttles and locks).
test_expect_success FAKETIME 'not enforced: never refused; check still lists the unsigned' '
	squid asmith "$PW" "$AFTER" >out &&
	echo OK >expect &&
	test_cmp expect out &&
	test "$(aup_state asmith "$AFTER")" = "not signed" &&
	test_expect_code 1 at "$AFTER" aupctl --format csv check >out &&
	grep "^aup-unsigned,,,,staff: 1 of 1 not signed for 2027-28$" out
'

test_expect_success FAKETIME 'enforced: after aup sign the login works again' '
	at "$AFTER" aupctl aup sign asmith &&
	squid asmith "$PW" "$AFTER" "$TRASH/enforce.ini" >out &&
	echo OK >expect &&
	test_cmp expect out &&
	test "$(aup_state asmith "$AFTER" "$TRASH/enforce.ini")" = signed &&
	test_expect_code 1 at "$AFTER" aupctl --config "$TRASH/enforce.ini" \
		--format csv check >out &&
	! grep "^aup-unsigned,,,,\"staff:" out &&
	grep "^aup-unsigned,,,,\"pupil:" out
'

# Story 4: a stack of paper forms, all or nothing. In 2027-28 the two
# pupils are still to sign.

BATCH_DAY="2027-10-20 10:00:00"

test_expect_success FAKETIME 'batch: one bad row of each kind: each named, nothing recorded (65)' '
	cat >bad.csv <<-\EOF &&
	username,signer,relationship,date
	mis:A1,Jo Lee,parent,2027-10-18
	nosuch,Pat Nobody,parent,2027-10-18
	kitlee,Kit Lee,self,2027-10-18
	tomray,Sam Ray,carer,2027-13-45
	EOF
	n=$(logcount) &&
	test_expect_code 65 at "$BATCH_DAY" aupctl aup sign --batch bad.csv \
		2>err &&
	grep "^bad.csv:3:1: .*nosuch" err &&
	grep "^bad.csv:4:16: .*cannot sign for themselves" err &&
	grep "^bad.csv:5:22: .*2027-13-45" err &&
	test "$(grep -c "^bad.csv:" err)" = 3 &&
	grep "nothing was recorded" err &&
	test "$(logcount)" = "$n" &&
	audited "$BATCH_DAY" &&
	printf "kitlee,pupil-early\ntomray,pupil-ks2\n" >want &&
	test_cmp want got
'

# aupctl(1) aup sign --batch: "The signatures recorded are listed"; a batch
# refused records none, yet its good rows are listed on standard output.
test_expect_success FAKETIME 'batch: a refused batch lists no signature' '
	test_expect_code 65 at "$BATCH_DAY" aupctl --format csv --no-header \
		aup sign --batch bad.csv >out 2>err &&
	test_line_count = 0 out
'

test_expect_success FAKETIME 'batch: a file with no username column is refused with its line' '
	printf "signer,date\nJo Lee,2027-10-18\n" >nouser.csv &&
	test_expect_code 65 at "$BATCH_DAY" aupctl aup sign --batch nouser.csv \
		2>err &&
	grep "nouser.csv:1: .*username" err &&
	printf "name,signer\nkitlee,Jo Lee\n" >nouser.csv &&
	test_expect_code 65 at "$BATCH_DAY" aupctl aup sign --batch nouser.csv \
		2>err &&
	grep "nouser.csv:1:1: .*name" err
'

cat >"$TRASH/good.csv" <<\EOF
username,signer,relationship,date
mis:A1,Jo Lee,parent,2027-10-18
tomray,Sam Ray,carer,2027-10-19
gmoss,,,
EOF

test_expect_success FAKETIME 'batch --dry-run: checks every row, records nothing, exit 0' '
	n=$(logcount) &&
	at "$BATCH_DAY" aupctl --format csv --no-header aup sign \
		--batch good.csv --dry-run >out 2>err &&
	grep "dry run" err &&
	test "$(logcount)" = "$n" &&
	audited "$BATCH_DAY" &&
	test_line_count = 2 got
'

test_expect_success FAKETIME 'batch: a good file signs everyone listed, the signed already noted' '
	n=$(logcount) &&
	at "$BATCH_DAY" aupctl --format csv --no-header aup sign \
		--batch good.csv >out 2>err &&
	cut -d, -f1-8 out >got &&
	cat >want <<-\EOF &&
	kitlee,2027-28,pupil-early,1,2027-10-18,Jo Lee,parent,false
	tomray,2027-28,pupil-ks2,1,2027-10-19,Sam Ray,carer,true
	EOF
	test_cmp want got &&
	grep "gmoss.*already" err &&
	test "$(logcount)" = $((n + 2)) &&
	at "$BATCH_DAY" aupctl aup audit
'

# Story 5: a school's own forms and their versions.

test_expect_success FAKETIME 'own forms: setup, and the first signature keeps version 1' '
	cp -R "$AUPCTL_DATADIR/forms" myforms &&
	{ cat base.ini && printf "[aup]\nforms = %s/myforms\n" "$TRASH"; } \
		>own.ini &&
	for who in "Cat Cole" "Dan Dunn"; do
		at "$BATCH_DAY" aupctl user add --role staff \
			--first "${who% *}" --last "${who#* }" || return 1
	done &&
	at "$BATCH_DAY" aupctl --config own.ini aup sign ccole
'

test_expect_success FAKETIME 'own forms: a text changed under its version is refused (78)' '
	echo "Also: a new rule." >>myforms/staff.txt &&
	n=$(logcount) &&
	test_expect_code 78 at "$BATCH_DAY" aupctl --config own.ini \
		aup sign ddunn 2>err &&
	grep "raise its version" err &&
	grep "staff" err &&
	test "$(logcount)" = "$n" &&
	test "$(aupctl --format csv --no-header aup history ddunn | wc -l)" = 0
'

test_expect_success FAKETIME 'own forms: a raised version signs; each text is kept' '
	sed "/^\[staff\]/,/^file/s/^version = 1$/version = 2/" \
		myforms/index.ini >index.new &&
	mv index.new myforms/index.ini &&
	at "$BATCH_DAY" aupctl --config own.ini aup sign ddunn &&
	aupctl --config own.ini aup show staff --signed 1 >v1 &&
	test_cmp "$AUPCTL_DATADIR/forms/staff.txt" v1 &&
	aupctl --config own.ini aup show staff >now &&
	test_cmp myforms/staff.txt now &&
	aupctl --config own.ini aup show staff --signed 2 >v2 &&
	test_cmp myforms/staff.txt v2 &&
	! test_cmp v1 v2 &&
	test_expect_code 67 aupctl --config own.ini aup show staff --signed 3 &&
	for u in ccole ddunn; do
		aupctl --format csv --no-header aup history $u || return 1
	done | cut -d, -f1,3,4 >got &&
	printf "ccole,staff,1\nddunn,staff,2\n" >want &&
	test_cmp want got
'

# broken LINE-PATTERN: aup forms and aup sign with the index edited stop
# with exit 78, naming index.ini and the line matching the pattern.
broken() {
	line=$(grep -n "$1" myforms/index.ini | cut -d: -f1) &&
	test -n "$line" &&
	test_expect_code 78 aupctl --config own.ini aup forms 2>err &&
	grep "myforms/index.ini:$line: " err &&
	test_expect_code 78 at "$BATCH_DAY" aupctl --config own.ini \
		aup sign gmoss --year 2028-29 2>err &&
	grep "myforms/index.ini:$line: " err
}

test_expect_success FAKETIME 'own forms: an unknown key in the index (78, file and line)' '
	cp myforms/index.ini index.keep &&
	test_when_finished "cp index.keep myforms/index.ini" &&
	sed "s/^file = governor.txt$/&\ncolour = blue/" index.keep \
		>myforms/index.ini &&
	broken "^colour = blue"
'

test_expect_success FAKETIME 'own forms: a bad signer in the index (78, file and line)' '
	cp myforms/index.ini index.keep &&
	test_when_finished "cp index.keep myforms/index.ini" &&
	sed "/^\[governor\]/,/^file/s/^signer = self$/signer = the head/" \
		index.keep >myforms/index.ini &&
	broken "^signer = the head"
'

test_expect_success FAKETIME 'own forms: two agreements for staff (78, file and line)' '
	cp myforms/index.ini index.keep &&
	test_when_finished "cp index.keep myforms/index.ini" &&
	{ cat index.keep && printf "\n[staff-too]\nversion = 1\ntitle = More\nkind = agreement\nroles = staff\nsigner = self\nrenew = annual\nfile = staff.txt\n"; } \
		>myforms/index.ini &&
	broken "^\[staff-too\]"
'

test_expect_success FAKETIME 'own forms: the index restored, everything works again' '
	aupctl --config own.ini aup forms >out &&
	grep "^staff  *2 " out
'

# Story 6: the governors' summary and the audit's filters, in a small
# school of its own: 3 staff (2 signed, the third suspended), a governor
# (not signed), 3 pupils in 3A (1 signed), 2 in 5B (both), 1 in RB (not).

SMALL_DAY="2026-11-02 10:00:00"
small() {
	AUPCTL_DB=$TRASH/small.db at "$SMALL_DAY" aupctl "$@"
}

test_expect_success FAKETIME 'summary: setup of a small school' '
	small init --school "Small Primary" &&
	for s in "Ann Ash" "Ben Birch" "Cal Cedar"; do
		small user add --role staff --first "${s% *}" \
			--last "${s#* }" || return 1
	done &&
	small user add --role governor --first Gail --last Hart &&
	for p in "3 3A Ada" "3 3A Bea" "3 3A Cy" "5 5B Dee" "5 5B Eli" \
	    "R RB Fay"; do
		set -- $p &&
		small user add --role pupil --year $1 --class $2 --first $3 \
			--last Pupil --username $(echo $3 | tr A-Z a-z) ||
			return 1
	done &&
	small user add --role class --year R --class RB --first Class \
		--last RB --username classrb &&
	small aup sign aash &&
	small aup sign bbirch &&
	small aup sign ada --signer "Mo Pupil" &&
	small aup sign dee --signer "Mo Pupil" &&
	small aup sign eli --signer "Mo Pupil" --relationship carer &&
	small user suspend ccedar --reason "on leave"
'

test_expect_success FAKETIME 'summary (csv): signed, total and percent per role, class and all' '
	test_expect_code 1 small --format csv aup audit --summary >out &&
	head -1 out >head &&
	echo "group,name,signed,total,percent" >want &&
	test_cmp want head &&
	tail -n +2 out | grep -v "^breaches," | sort >got &&
	grep -c "^breaches,[a-z]* [ABCD],,0,$" out >breaches &&
	echo 12 >twelve &&
	test_cmp twelve breaches &&
	sort >want <<-\EOF &&
	role,pupil,3,6,50.0
	role,staff,2,3,66.7
	role,governor,0,1,0.0
	class,3A,1,3,33.3
	class,5B,2,2,100.0
	class,RB,0,1,0.0
	all,everyone,5,10,50.0
	EOF
	test_cmp want got
'

test_expect_success FAKETIME 'summary (table and json)' '
	test_expect_code 1 small aup audit --summary >out &&
	grep "^all  *everyone  *5  *10  *50.0$" out &&
	grep "^class  *3A  *1  *3  *33.3$" out &&
	test_expect_code 1 small --format json aup audit --summary >out.json &&
	python3 -m json.tool out.json >/dev/null &&
	python3 -c "
import json, sys
rows = json.load(open(\"out.json\"))
all = [r for r in rows if r[\"group\"] == \"all\"]
assert len(all) == 1 and all[0][\"signed\"] == 5 and all[0][\"total\"] == 10, all
"
'

test_expect_success FAKETIME 'audit: --format json is valid JSON, one object per person' '
	test_expect_code 1 small --format json aup audit >out.json &&
	python3 -m json.tool out.json >/dev/null &&
	python3 -c "
import json
names = sorted(r[\"username\"] for r in json.load(open(\"out.json\")))
assert names == [\"bea\", \"ccedar\", \"cy\", \"fay\", \"ghart\"], names
"
'

# small_audited OPTION...: the usernames the small school's audit lists.
small_audited() {
	small --format csv --no-header aup audit "$@" >audit.csv
	audit_rc=$?
	cut -d, -f1 audit.csv | sort | tr "\n" " " >got
}

test_expect_success FAKETIME 'audit: --role, --ks and --class narrow the list' '
	small_audited --role staff && test "$audit_rc" = 1 &&
	test "$(cat got)" = "ccedar " &&
	small_audited --role governor && test "$(cat got)" = "ghart " &&
	small_audited --role pupil && test "$(cat got)" = "bea cy fay " &&
	small_audited --ks KS2 && test "$(cat got)" = "bea cy " &&
	small_audited --ks EYFS && test "$(cat got)" = "fay " &&
	small_audited --ks KS1 && test "$audit_rc" = 0 && test ! -s got &&
	small_audited --class 3A && test "$(cat got)" = "bea cy " &&
	small_audited --class 5B && test "$audit_rc" = 0 && test ! -s got &&
	small_audited --class RB --role pupil && test "$(cat got)" = "fay "
'

# Story 7: an auditor reads the agreements but records none.

test_expect_success FAKETIME 'an auditor may audit and read histories, not sign (77)' '
	test_db_as auditor aud.db &&
	AUPCTL_DB=aud.db test_expect_code 1 at "$BATCH_DAY" aupctl aup audit \
		--year 2028-29 >out &&
	grep kitlee out &&
	AUPCTL_DB=aud.db test_expect_code 1 at "$BATCH_DAY" aupctl aup audit \
		--year 2028-29 --summary &&
	AUPCTL_DB=aud.db aupctl aup history gmoss >out &&
	grep 2027-28 out &&
	AUPCTL_DB=aud.db aupctl aup forms >/dev/null &&
	AUPCTL_DB=aud.db test_expect_code 77 at "$BATCH_DAY" aupctl aup sign \
		gmoss --year 2028-29 &&
	AUPCTL_DB=aud.db test_expect_code 77 at "$BATCH_DAY" aupctl aup sign \
		--batch good.csv --dry-run &&
	AUPCTL_DB=aud.db aupctl --format csv --no-header aup history gmoss >h &&
	test_line_count = 2 h
'

test_expect_success FAKETIME 'the office records signatures, as witness' '
	test_db_as office off.db &&
	AUPCTL_DB=off.db at "$BATCH_DAY" aupctl aup sign gmoss --year 2028-29 &&
	AUPCTL_DB=off.db aupctl --format csv --no-header aup history gmoss |
		tail -1 | cut -d, -f2,10 >got &&
	echo "2028-29,$(id -un)" >want &&
	test_cmp want got
'


# aup show on a terminal goes through $PAGER; one that cannot be run still
# leaves the text on the screen, with a warning that says what to set.
test_lazy_prereq SCRIPT 'script -qec true /dev/null'

test_expect_success SCRIPT 'aup show: a pager that cannot run still shows the text' '
	PAGER=no-such-pager script -qec "$AUPCTL aup show staff" /dev/null |
		tr -d "\r" >out &&
	grep "^aupctl: warning: the pager .no-such-pager. could not be run" out &&
	grep "^Acceptable use agreement for staff and volunteers$" out &&
	PAGER=cat script -qec "$AUPCTL aup show staff" /dev/null |
		tr -d "\r" >out &&
	! grep "^aupctl: warning" out &&
	grep "^Acceptable use agreement for staff and volunteers$" out
'

test_done
