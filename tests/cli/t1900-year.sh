#!/bin/bash
# The year rollover, with the clock on both sides of 1 September: where the
# school stands, the plan, a dry run that writes nothing, the real one
# (year groups, classes as [rollover] classes says, the final year to
# leavers, logins for those entering KS2 on slips), once a year only.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-08-31 12:00:00"
# Passwords are made here: at the cheapest cost.
cheap="[argon2]\nt_cost = 1\nm_cost_kib = 64\n"
printf "$cheap[pupils]\nindividual_accounts_from = KS2\n" >"$TRASH/cheap.ini"
export AUPCTL_CONFIG=$TRASH/cheap.ini

# state: every person as the list has them, and the log's length
state() {
	aupctl --format csv user list >"$1" &&
	aupctl --format csv log | wc -l >>"$1"
}

# pupil YEAR CLASS FIRST LAST [options]: add a pupil
pupil() {
	y=$1 c=$2 f=$3 l=$4
	shift 4
	aupctl -q user add --role pupil --year "$y" --class "$c" --first "$f" \
		--last "$l" "$@" >/dev/null
}

# who TEXT: the username of the one person TEXT finds
who() {
	aupctl --format csv --no-header user list --search "$1" |
		cut -d, -f2
}

# row TEXT: "year,class,status" of the one person TEXT finds
row() {
	aupctl --format csv --no-header user list --search "$1" |
		cut -d, -f6,8,9
}

test_expect_success 'setup: a primary school on 31 August' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	pupil R RB Eve Egan &&
	pupil 1 1A Amy Able &&
	pupil 2 2B Ben Boyd &&
	pupil 2 2B Bea Bell &&
	pupil 4 4A Cat Cole --generate-password &&
	pupil 6 6A Dan Dunn --generate-password &&
	pupil 5 Kestrel Kit Kemp --generate-password &&
	pupil 3 3C Sam Suspended --generate-password &&
	aupctl -q user suspend "$(who Suspended)" --reason "incident 7" &&
	test "$(row Suspended)" = "3,3C,suspended"
'

test_expect_success 'year show: on 31 August it is still 2025-26' '
	aupctl year show >out &&
	grep "^academic_year  *2025-26$" out &&
	grep "^started  *2025-09-01$" out &&
	grep "^rollover_due  *true$" out &&
	! grep last_rollover out &&
	aupctl --format json year show >out.json &&
	grep "\"academic_year\":\"2025-26\"" out.json &&
	grep "\"last_rollover\":null" out.json &&
	aupctl --format csv year show >out.csv &&
	head -1 out.csv | grep "^academic_year,started,last_rollover,"
'

TEST_NOW="2026-09-01 09:00:00"

test_expect_success 'year show: on 1 September it is 2026-27, rollover due' '
	aupctl year show >out &&
	grep "^academic_year  *2026-27$" out &&
	grep "^started  *2026-09-01$" out &&
	grep "^rollover_due  *true$" out
'

test_expect_success 'the dry run prints the plan and changes nothing' '
	state before &&
	aupctl --format csv year rollover --dry-run >plan.csv 2>err &&
	grep "dry run: nothing was changed" err &&
	grep "rollover into 2026-27: 8 pupils: 7 move up, 2 of them to logins of their own, 1 leave" err &&
	head -1 plan.csv | grep -x "username,name,from_year,from_class,to_year,to_class,action" &&
	grep -x "[0-9]*aable,Amy Able,1,1A,2,2A,promote" plan.csv &&
	grep -x "[0-9]*bboyd,Ben Boyd,2,2B,3,3B,login" plan.csv &&
	grep -x "[0-9]*ddunn,Dan Dunn,6,6A,,,leave" plan.csv &&
	grep -x "[0-9]*kkemp,Kit Kemp,5,Kestrel,6,Kestrel,promote" plan.csv &&
	state after && test_cmp before after &&
	aupctl year show | grep "^rollover_due  *true$"
'

test_expect_success 'a real run that makes passwords needs --slips' '
	state before &&
	test_expect_code 64 aupctl year rollover >out 2>err &&
	grep "makes 2 new passwords and has nowhere to put them" err &&
	grep "hint: .*--slips FILE" err &&
	state after && test_cmp before after
'

test_expect_success 'the operator needs the right to import' '
	test_db_as office office.db &&
	AUPCTL_DB=office.db test_expect_code 77 aupctl year rollover \
		--slips office.txt 2>err &&
	test ! -e office.txt
'

test_expect_success 'keep and clear, on copies of the school' '
	cp "$AUPCTL_DB" keep.db && cp "$AUPCTL_DB" clear.db &&
	printf "$cheap[rollover]\nclasses = keep\n" >keep.ini &&
	printf "$cheap[rollover]\nclasses = clear\n" >clear.ini &&
	AUPCTL_DB=keep.db AUPCTL_CONFIG=keep.ini aupctl -q year rollover \
		--slips keep.txt >/dev/null &&
	AUPCTL_DB=clear.db AUPCTL_CONFIG=clear.ini aupctl -q year rollover \
		--slips clear.csv >/dev/null &&
	test "$(AUPCTL_DB=keep.db row Able)" = "2,1A,active" &&
	test "$(AUPCTL_DB=keep.db row Cole)" = "5,4A,active" &&
	test "$(AUPCTL_DB=clear.db row Able)" = "2,,active" &&
	test "$(AUPCTL_DB=clear.db row Dunn)" = "6,6A,leaving" &&
	head -1 clear.csv | grep "^username,name,class,password"
'

test_expect_success 'the real run does what the dry run planned' '
	aupctl --format csv year rollover --slips slips.txt >plan2.csv 2>err &&
	test_cmp plan.csv plan2.csv &&
	grep "2 new passwords are in slips.txt" err &&
	aupctl --format csv user list >people &&
	grep ",Amy,Able,pupil,2,KS1,2A,active" people &&
	grep ",Eve,Egan,pupil,1,KS1,RB,active" people &&
	grep ",Cat,Cole,pupil,5,KS2,5A,active" people &&
	grep ",Kit,Kemp,pupil,6,KS2,Kestrel,active" people &&
	grep ",Ben,Boyd,pupil,3,KS2,3B,active" people &&
	grep ",Sam,Suspended,pupil,4,KS2,4C,suspended" people &&
	grep ",Dan,Dunn,pupil,6,KS2,6A,leaving" people
'

test_expect_success 'the final year is on the leaver path, with the reason' '
	aupctl user show "$(who Dunn)" >show &&
	grep "^status  *leaving$" show &&
	grep "^status_reason  *left after Year 6 (rollover 2026-27)$" show
'

test_expect_success 'pupils entering KS2 get their own login, on a 0600 slip' '
	test "$(stat -c %a slips.txt)" = 600 &&
	test $(grep -c "Password:" slips.txt) = 2 &&
	ben=$(who Boyd) &&
	grep -A1 "Name: *Ben Boyd (Year 3, 3B)" slips.txt |
		grep "Username: *$ben$" &&
	pw=$(grep -A2 "Name: *Ben Boyd" slips.txt | sed -n "s/.*Password: *//p") &&
	test -n "$pw" &&
	echo "$ben $pw" | aupctl auth >out &&
	grep -x OK out &&
	echo "$ben not-$pw" | aupctl auth >out &&
	grep "^ERR" out &&
	aupctl user show "$ben" >show &&
	grep "^must_change  *true$" show
'

test_expect_success 'every change is in the log, one entry a pupil, and a summary' '
	aupctl --format csv log >log.csv &&
	test $(grep -c ",year\.promote," log.csv) = 7 &&
	test $(grep -c ",year\.leaving," log.csv) = 1 &&
	test $(grep -c ",year\.password," log.csv) = 2 &&
	test $(grep -c ",year\.rollover," log.csv) = 1 &&
	grep ",year\.rollover,.*2026-27" log.csv &&
	aupctl log --verify
'

test_expect_success 'year show: the rollover is done, when and by whom' '
	aupctl year show >out &&
	grep "^last_rollover  *2026-27$" out &&
	grep "^last_rollover_at  *2026-09-01 09:0[0-9]:[0-9][0-9]$" out &&
	grep "^last_rollover_by  *$(id -un)$" out &&
	grep "^rollover_due  *false$" out
'

test_expect_success 'a second rollover in the same academic year is refused' '
	state before &&
	test_expect_code 65 aupctl year rollover --slips again.txt >out 2>err &&
	test ! -s out &&
	grep "2026-27 was rolled over already, on 2026-09-01 by $(id -un);" err &&
	grep "hint: the next rollover is due on 2027-09-01" err &&
	test_expect_code 65 aupctl year rollover --dry-run 2>err &&
	TEST_NOW="2027-08-31 23:00:00" test_expect_code 65 \
		aupctl year rollover --slips again.txt 2>err &&
	test ! -e again.txt &&
	state after && test_cmp before after
'

test_expect_success 'the next academic year rolls over again' '
	TEST_NOW="2027-09-01 08:00:00" &&
	aupctl --format csv year rollover --slips slips2.csv >plan3.csv 2>err &&
	grep "rollover into 2027-28" err &&
	aupctl --format csv user list >people &&
	grep ",Amy,Able,pupil,3,KS2,3A,active" people &&
	grep ",Cat,Cole,pupil,6,KS2,6A,active" people &&
	grep ",Kit,Kemp,pupil,6,KS2,Kestrel,leaving" people &&
	grep ",Dan,Dunn,pupil,6,KS2,6A,leaving" people &&
	! grep "Dan Dunn" plan3.csv &&
	grep "Amy Able,2,2A,3,3A,login" plan3.csv &&
	test "$(stat -c %a slips2.csv)" = 600 &&
	grep -c ",Amy Able," slips2.csv &&
	aupctl log --verify
'

test_done
