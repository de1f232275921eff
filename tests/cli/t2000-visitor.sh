#!/bin/bash
# Visitors: a temporary login issued with the visitors' agreement accepted
# on screen, that authenticates inside its window and not outside it, nor
# past its login count, before any sweep runs; several at once on slips;
# a window that opens at the first login; check finds the ones that are
# over and --mark ends them; the refusals a school would want.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"
ERR_INACTIVE='ERR message="account not active; see the school office"'

# squid USER PASSWORD WHEN: the login helper's answer at WHEN.
squid() {
	echo "$1 $2" | TEST_NOW=$3 aupctl auth --protocol squid
}

# issue ARGS...: a visitor login, as JSON in out.json; its password in pw.
issue() {
	aupctl --format json visitor issue --accept-aup "$@" >out.json &&
	sed -n "s/.*\"password\":\"\([^\"]*\)\".*/\1/p" out.json >pw &&
	test -s pw
}

test_expect_success 'setup: a member of staff to host, a pupil' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	aupctl -q user add --role staff --first Amy --last Smith &&
	aupctl -q user add --role pupil --first Kit --last Lee --year 5
'

test_expect_success 'issue: an hour, shown once as JSON with its window' '
	issue --name "Jo Bloggs" --org "Supply Co" --host asmith \
		--reason "cover for 5B" --hours 1 &&
	grep "^{\"username\":\"vjbloggs\",\"first\":\"Jo\",\"last\":\"Bloggs\",\"org\":\"Supply Co\",\"host\":\"asmith\",\"reason\":\"cover for 5B\",\"valid_from\":\"2026-11-23T10:00:0[0-9]+00:00\",\"expires\":\"2026-11-23T11:00:0[0-9]+00:00\"," out.json &&
	cp pw jo.pw
'

test_expect_success 'the visitors agreement is signed on screen, witnessed' '
	aupctl --format csv --no-header aup history vjbloggs >hist &&
	grep "^vjbloggs,2026-27,visitor,1,2026-11-23,Jo Bloggs,self,true,screen,$(id -un)," hist
'

test_expect_success 'an hour: in now, out two hours later, no longer active' '
	echo OK >expect &&
	squid vjbloggs "$(cat jo.pw)" "2026-11-23 10:30:00" >out &&
	test_cmp expect out &&
	squid vjbloggs "$(cat jo.pw)" "2026-11-23 12:00:00" >out &&
	echo "$ERR_INACTIVE" >expect &&
	test_cmp expect out &&
	TEST_NOW="2026-11-23 10:30:00" aupctl --format csv --no-header \
		visitor list --active >active &&
	grep "^vjbloggs," active &&
	TEST_NOW="2026-11-23 12:00:00" aupctl --format csv --no-header \
		visitor list --active >active &&
	! grep "^vjbloggs," active &&
	TEST_NOW="2026-11-23 12:00:00" aupctl --format csv --no-header \
		visitor list --expired >expired &&
	grep "^vjbloggs,.*,ended,expired$" expired
'

test_expect_success '--max-logins 2: in twice, not a third time' '
	issue --name "Sam Jones" --hours 8 --max-logins 2 &&
	echo OK >expect &&
	squid vsjones "$(cat pw)" "2026-11-23 10:10:00" >out &&
	test_cmp expect out &&
	squid vsjones "$(cat pw)" "2026-11-23 10:20:00" >out &&
	test_cmp expect out &&
	squid vsjones "$(cat pw)" "2026-11-23 10:30:00" >out &&
	echo "$ERR_INACTIVE" >expect &&
	test_cmp expect out
'

test_expect_success 'a window from the first login, and a later start' '
	issue --name "Ali Khan" --hours-from-first-login 2 &&
	squid vakhan "$(cat pw)" "2026-11-30 09:00:00" >out &&
	echo OK >expect && test_cmp expect out &&
	squid vakhan "$(cat pw)" "2026-11-30 10:59:00" >out &&
	test_cmp expect out &&
	squid vakhan "$(cat pw)" "2026-11-30 11:01:00" >out &&
	echo "$ERR_INACTIVE" >expect && test_cmp expect out &&
	issue --name "Eve Fox" --from "2026-11-24T09:00" --hours 2 &&
	squid vefox "$(cat pw)" "2026-11-23 15:00:00" >out &&
	test_cmp expect out &&
	squid vefox "$(cat pw)" "2026-11-24 09:30:00" >out &&
	echo OK >expect && test_cmp expect out
'

test_expect_success 'refused: no --accept-aup, too long, a host not staff' '
	test_expect_code 64 aupctl visitor issue --name "No Body" 2>err &&
	grep "missing: --accept-aup" err &&
	test_expect_code 65 aupctl visitor issue --name "Long Stay" \
		--hours 100 --accept-aup 2>err &&
	grep "at most 72 hours" err &&
	grep "hint: .*volunteer or member of staff" err &&
	test_expect_code 65 aupctl visitor issue --name "Long Stay" \
		--until 2026-12-25 --accept-aup &&
	test_expect_code 65 aupctl visitor issue --name "Kit Guest" \
		--host 21klee --accept-aup 2>err ||
	test_expect_code 65 aupctl visitor issue --name "Kit Guest" \
		--host "$(aupctl --format csv --no-header user list --role pupil | cut -d, -f2)" \
		--accept-aup 2>err &&
	grep "the host must be an active member of staff" err &&
	test_expect_code 65 aupctl visitor issue --name Madonna \
		--accept-aup 2>err &&
	grep "give the visitor.s first and last name" err &&
	aupctl --format csv --no-header user list --search "Long Stay" >none &&
	test_line_count = 0 none
'

test_expect_success 'an exam day: three logins at once, on a 0600 slip' '
	aupctl visitor issue --name "Exam Candidate" --count 3 --prefix exam \
		--hours 4 --accept-aup --slip exam.txt >out &&
	test "$(stat -c %a exam.txt)" = 600 &&
	test $(grep -c "Password:" exam.txt) = 3 &&
	for u in exam1 exam2 exam3; do
		grep -q "Username: *$u$" exam.txt || return 1
	done &&
	pw=$(grep -A2 "Username: *exam2$" exam.txt | sed -n "s/.*Password: *//p") &&
	squid exam2 "$pw" "2026-11-23 11:00:00" >out &&
	echo OK >expect && test_cmp expect out &&
	test_expect_code 73 aupctl visitor issue --name "Exam Candidate" \
		--count 2 --prefix late --accept-aup --slip exam.txt &&
	aupctl --format csv --no-header user list --search late >none &&
	test_line_count = 0 none
'

test_expect_success 'check lists the logins that are over; --mark ends them' '
	TEST_NOW="2026-11-23 17:00:00" test_expect_code 1 aupctl \
		--format csv check >out &&
	grep "^visitor-expired,vjbloggs,Jo,Bloggs," out &&
	grep "^visitor-expired,vsjones,Sam,Jones,its logins used$" out &&
	TEST_NOW="2026-11-23 17:00:00" aupctl check --mark >out;
	grep "now ended" out &&
	aupctl user show vjbloggs >show &&
	grep "^status  *expired$" show &&
	TEST_NOW="2026-11-23 17:00:00" aupctl --format csv check >out;
	! grep "^visitor-expired,vjbloggs," out
'

test_expect_success 'visitor end: at once; again says so; not for staff' '
	aupctl visitor end vefox >out &&
	grep "vefox.s visit is ended" out &&
	squid vefox "$(cat pw)" "2026-11-24 09:30:00" >out &&
	echo "$ERR_INACTIVE" >expect && test_cmp expect out &&
	aupctl visitor end vefox >out &&
	grep "had ended already" out &&
	test_expect_code 65 aupctl visitor end asmith &&
	aupctl --format csv log --user vefox >log &&
	grep ",visitor.issue," log && grep ",visitor.end," log
'

test_expect_success 'user export holds the visit, with its host and window' '
	aupctl --format json user export vjbloggs >out &&
	grep "\"visits\":\[{\"org\":\"Supply Co\",\"host\":\"asmith\",\"reason\":\"cover for 5B\",\"valid_from\":\"2026-11-23T10:00:0[0-9]+00:00\",\"expires\":\"2026-11-23T11:00:0[0-9]+00:00\"," out &&
	grep "\"leaver\":null" out &&
	aupctl user export vjbloggs >out &&
	sed -n "/^Visits of vjbloggs:/,/^\$/p" out >visit &&
	grep "^vjbloggs  *Jo  *Bloggs  *Supply Co  *asmith  *cover for 5B" visit &&
	sed -n "/^Exit checklist of vjbloggs:/{n;p}" out >none &&
	echo none >expect && test_cmp expect none
'

test_done
