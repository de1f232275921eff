#!/bin/bash
# Leavers: a checklist opened with a leaving day (access ends with it),
# ticked item by item, refused to finish while items are open, finished
# with the password reset so it no longer authenticates; forced with a
# reason; listed; stale ones in check; the rollover opens them for the
# final year; and the purge after retention, the log still whole.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"
PW=maple-otter-cloud-42
ERR_INACTIVE='ERR message="account not active; see the school office"'

# squid USER PASSWORD WHEN: the login helper's answer at WHEN.
squid() {
	echo "$1 $2" | TEST_NOW=$3 aupctl auth --protocol squid
}

test_expect_success 'setup: two staff, a pupil in the final year, a class' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	echo "$PW" | aupctl -q user add --role staff --first Amy --last Smith \
		--password-stdin &&
	echo "$PW" | aupctl -q user add --role staff --first Ben --last Jones \
		--password-stdin &&
	echo "$PW" | aupctl -q user add --role pupil --first Dan --last Dunn \
		--year 6 --class 6A --password-stdin &&
	aupctl -q user add --role class --first Class --last 1K --year 1 \
		--class 1K
'

test_expect_success 'start: leaving on a day; logins work until it ends' '
	aupctl leaver start asmith --date 2026-12-18 --reason "new post" \
		>out &&
	grep "asmith is leaving on 2026-12-18" out &&
	aupctl user show asmith >show &&
	grep "^status  *leaving$" show &&
	grep "^status_reason  *new post$" show &&
	echo OK >expect &&
	squid asmith "$PW" "2026-12-18 16:00:00" >out &&
	test_cmp expect out &&
	squid asmith "$PW" "2026-12-19 08:00:00" >out &&
	echo "$ERR_INACTIVE" >expect &&
	test_cmp expect out
'

test_expect_success 'start: not twice, not a class logon, not someone unknown' '
	test_expect_code 65 aupctl leaver start asmith 2>err &&
	grep "asmith is leaving already" err &&
	grep "hint: see their checklist: aupctl leaver show asmith" err &&
	test_expect_code 65 aupctl leaver start class1k 2>err &&
	grep "a class logon does not leave" err &&
	test_expect_code 67 aupctl leaver start nobody
'

test_expect_success 'show: the staff checklist, every item open' '
	aupctl --format csv --no-header leaver show asmith >items &&
	cut -d, -f1,3 items >got &&
	printf "%s,false\n" equipment keys pins password email images media \
		>want &&
	test_cmp want got &&
	aupctl leaver show asmith >out &&
	grep "^Amy Smith (asmith), staff, leaving on 2026-12-18, new post: open$" out
'

test_expect_success 'finish is refused while items are open, naming them' '
	n=$(aupctl --format csv --no-header log | wc -l) &&
	test_expect_code 65 aupctl leaver finish asmith 2>err &&
	grep "items open: equipment, keys, pins, email, images, media$" err &&
	grep "hint: tick them with" err &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n" &&
	squid asmith "$PW" "2026-11-23 12:00:00" >out &&
	echo OK >expect && test_cmp expect out
'

test_expect_success 'tick: with a note, once; an unknown item is refused' '
	aupctl leaver tick asmith keys --note "fob 112 returned" >out &&
	grep "asmith: .keys. ticked" out &&
	aupctl leaver tick asmith keys >out &&
	grep "was ticked already" out &&
	test_expect_code 65 aupctl leaver tick asmith wand 2>err &&
	grep "has no item .wand." err &&
	grep "hint: its items are equipment, keys, pins, password" err &&
	aupctl --format json leaver show asmith >out.json &&
	grep "{\"item\":\"keys\",\"label\":\"Keys and fob returned\",\"done\":true,\"at\":\"2026-11-23T10:00:0[0-9]+00:00\",\"by\":\"$(id -un)\",\"note\":\"fob 112 returned\"}" out.json
'

test_expect_success 'list --pending shows the open checklist' '
	aupctl --format csv --no-header leaver list --pending >list &&
	grep "^asmith,Amy,Smith,staff,2026-12-18," list &&
	test_line_count = 1 list
'

test_expect_success 'every item ticked: finish resets the password; status left' '
	for i in equipment pins email images media; do
		aupctl -q leaver tick asmith $i || return 1
	done &&
	aupctl leaver finish asmith >out &&
	grep "asmith has left" out &&
	echo "ERR message=\"wrong username or password, or too many tries; wait and try again\"" >expect &&
	squid asmith "$PW" "2026-11-23 12:00:00" >out &&
	test_cmp expect out &&
	aupctl --format csv --no-header user list --status left >left &&
	grep ",asmith,Amy,Smith,staff," left &&
	aupctl --format csv --no-header leaver show asmith >items &&
	grep "^password,Network password reset,true,.*,aupctl," items &&
	aupctl --format csv --no-header leaver list --pending >list &&
	test_line_count = 0 list &&
	test_expect_code 65 aupctl leaver finish asmith 2>err &&
	grep "checklist is finished" err
'

test_expect_success 'user export holds the checklist, item by item' '
	aupctl --format json user export asmith >out &&
	grep "\"leaver\":{\"leave_on\":\"2026-12-18\",.*\"items\":\[{\"id\":\"equipment\",\"label\":\"Equipment returned\",\"done\":true," out &&
	grep "\"visits\":\[\]" out &&
	aupctl user export asmith >out &&
	sed -n "/^Exit checklist of asmith:/,/^\$/p" out >items &&
	grep "^password  *Network password reset  *true  .*  aupctl" items &&
	sed -n "/^Visits of asmith:/{n;p}" out >none &&
	echo none >expect && test_cmp expect none
'

test_expect_success 'finish --force needs a reason, and keeps it' '
	aupctl -q leaver start bjones &&
	test_expect_code 64 aupctl leaver finish bjones --force 2>err &&
	grep "force needs --reason" err &&
	aupctl leaver finish bjones --force --reason "laptop lost" &&
	aupctl leaver show bjones >out &&
	grep "with items open: laptop lost" out &&
	aupctl user show bjones >show &&
	grep "^status  *left$" show &&
	aupctl --format csv log --user bjones >log &&
	grep ",leaver.start," log && grep ",leaver.finish," log
'

test_expect_success 'the rollover opens the final year its checklists' '
	TEST_NOW="2027-09-02 09:00:00" aupctl -q year rollover &&
	dan=$(aupctl --format csv --no-header user list --search Dunn |
		cut -d, -f2) &&
	aupctl --format csv --no-header leaver show "$dan" >items &&
	cut -d, -f1 items >got &&
	printf "%s\n" account images work >want &&
	test_cmp want got
'

test_expect_success 'check lists a checklist open past stale_days' '
	TEST_NOW="2027-10-20 09:00:00" test_expect_code 1 aupctl \
		--format csv check >out &&
	grep "^leaver-stale,[^,]*,Dan,Dunn,\"leaving on 2027-09-02, items open\"$" out &&
	TEST_NOW="2027-09-20 09:00:00" aupctl --format csv check >out;
	! grep "^leaver-stale," out
'

# From the MIS: a pupil missing from a full roll gets a checklist; one
# who comes back before the purge is active again, with their username,
# and a new password on a slip when leaving had reset theirs.
test_expect_success 'import: missing from a full roll, a checklist' '
	printf "UPN,Legal Surname,Legal Forename,Year,Reg\n%s\n%s\n" \
		"A1,Lee,Kit,5,5B" "A2,Ray,Tom,5,5B" >roll.csv &&
	head -2 roll.csv >less.csv &&
	aupctl -q import pupils roll.csv --slips first.txt &&
	tom=$(aupctl --format csv --no-header user list --search Ray |
		cut -d, -f2) &&
	pw=$(grep -A2 "Name: *Tom Ray" first.txt | sed -n "s/.*Password: *//p") &&
	aupctl -q import pupils less.csv --full-roll --retire-missing &&
	aupctl --format csv --no-header leaver show "$tom" >items &&
	test_line_count = 3 items &&
	aupctl -q leaver finish "$tom" --force --reason "moved away" &&
	echo "$tom $pw" | aupctl auth >out &&
	grep "^ERR" out &&
	echo "$tom" >tom && echo "$pw" >pw
'

test_expect_success 'import: back before the purge, active with a new password' '
	tom=$(cat tom) &&
	aupctl import pupils roll.csv --dry-run >plan 2>err &&
	grep "1 back after leaving" err &&
	aupctl --format csv --no-header user show "$tom" >/dev/null &&
	aupctl user show "$tom" | grep "^status  *left$" &&
	aupctl import pupils roll.csv --slips back.txt >out 2>err &&
	grep "1 back after leaving" err &&
	aupctl user show "$tom" | grep "^status  *active$" &&
	aupctl user show "$tom" | grep "^must_change  *true$" &&
	test "$(stat -c %a back.txt)" = 600 &&
	grep -A1 "Name: *Tom Ray" back.txt | grep "Username: *$tom$" &&
	new=$(grep -A2 "Name: *Tom Ray" back.txt | sed -n "s/.*Password: *//p") &&
	echo "$tom $new" | aupctl auth >out && grep -x OK out &&
	echo "$tom $(cat pw)" | aupctl auth >out && grep "^ERR" out &&
	aupctl --format csv log --user "$tom" >log &&
	grep ",import.return," log && grep ",leaver.finish," log
'

test_expect_success 'purge: a leaver past retention goes; the log verifies' '
	aupctl --format csv --no-header user list --status left >left &&
	test_line_count = 2 left &&
	TEST_NOW="2027-12-01 09:00:00" aupctl --format csv purge --dry-run >plan &&
	test_line_count = 3 plan &&
	TEST_NOW="2027-12-01 09:00:00" aupctl -q purge &&
	aupctl --format csv --no-header user list --status left >left &&
	test_line_count = 0 left &&
	aupctl log --verify &&
	test_expect_code 67 aupctl leaver show asmith
'

test_done
