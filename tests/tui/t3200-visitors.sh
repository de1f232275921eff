#!/bin/bash
# auptui's visitors: the logins that may be used now, with their host and
# the time they have left; a new one from a form, made only once the
# visitor has read their agreement to its end and accepted it, its
# password shown once; the core's refusals beside their field; a visit
# ended at once.
. "$(dirname "$0")/tui-lib.sh"

test_expect_success 'setup: a school with a member of staff and a pupil' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	aupctl -q user add --role staff --first Amy --last Smith &&
	aupctl -q user add --role pupil --first Kit --last Lee --year 5 \
		--username klee
'

# open_issue: the issue form, from the dashboard's v.
open_issue() {
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys v &&
	tui_wait "auptui Visitors" &&
	tui_keys i &&
	tui_wait "^  Name  "
}

# fill NAME ORG HOST REASON HOURS: type the form's fields.
fill() {
	tui_type "$1" && tui_keys Tab &&
	tui_type "$2" && tui_keys Tab &&
	tui_type "$3" && tui_keys Tab &&
	tui_type "$4" && tui_keys Tab &&
	tui_keys BSpace BSpace BSpace && tui_type "$5"
}

# accept: F2, the agreement read to its end, and the visitor's y.
accept() {
	tui_keys F2 && tui_wait "visitor v1" &&
	tui_keys End && tui_wait "visitor v1  100%" && tui_keys Enter &&
	tui_wait "Does the visitor accept the agreement\? \(y/n\)" &&
	tui_keys y
}

test_expect_success 'v: no visitors yet, and how to issue one' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys v &&
	tui_wait "No visitor logins may be used now: i issues one"
'

test_expect_success 'issue: nothing is made before the agreement is read' '
	test_when_finished tui_stop &&
	open_issue &&
	fill "Jo Bloggs" "Supply Co" asmith "cover for 5B" 2 &&
	tui_keys F2 &&
	tui_wait "The visitor.s agreement .* visitor v1" &&
	tui_wait "Turn the screen to the visitor" &&
	tui_keys Enter &&
	tui_wait "read it to its end first" &&
	aupctl --format csv --no-header visitor list --all >list &&
	test_line_count = 0 list
'

test_expect_success 'the visitor says no: nothing is made' '
	test_when_finished tui_stop &&
	open_issue &&
	fill "Jo Bloggs" "Supply Co" asmith "cover for 5B" 2 &&
	tui_keys F2 && tui_wait "visitor v1" &&
	tui_keys End && tui_wait "visitor v1  100%" &&
	tui_keys Enter &&
	tui_wait "Does the visitor accept the agreement\? \(y/n\)" &&
	tui_keys n &&
	tui_wait_gone "\(y/n\)" &&
	aupctl --format csv --no-header visitor list --all >list &&
	test_line_count = 0 list
'

test_expect_success 'issue: read, accepted, the password shown once; it works' '
	test_when_finished tui_stop &&
	open_issue &&
	fill "Jo Bloggs" "Supply Co" asmith "cover for 5B" 2 &&
	accept &&
	tui_wait "^    Password" &&
	tui_screen >screen &&
	grep "Jo Bloggs may log in as vjbloggs" screen &&
	pw=$(sed -n "/^    Password/{n;s/ //g;p}" screen) &&
	echo "vjbloggs $pw" | aupctl auth --protocol squid >out &&
	echo OK >expect && test_cmp expect out &&
	tui_keys Enter &&
	tui_wait "^ vjbloggs  *Jo Bloggs  *Supply Co  *asmith  .* [12]h [0-9][0-9]m  *1$" &&
	aupctl --format csv --no-header aup history vjbloggs >hist &&
	grep "^vjbloggs,.*,visitor,1,.*,Jo Bloggs,self,true,screen,$(id -un)," hist &&
	aupctl --format csv --no-header visitor list >list &&
	grep "^vjbloggs,Jo,Bloggs,Supply Co,asmith,cover for 5B," list
'

test_expect_success 'F3 picks the host from the staff, searched as typed' '
	test_when_finished tui_stop &&
	open_issue &&
	tui_type "Pat Kay" && tui_keys Tab Tab &&
	tui_keys F3 &&
	tui_wait "auptui Pick a person .* staff, active" &&
	tui_wait_gone "^ klee" &&
	tui_type smi &&
	tui_wait "^Search: smi" &&
	tui_keys Enter Enter &&
	tui_wait "^  Host  *asmith" &&
	tui_wait "Amy Smith \(asmith\)" &&
	tui_keys Escape &&
	tui_wait "no login issued"
'

test_expect_success 'refused by the core: a host who is not staff, beside it' '
	test_when_finished tui_stop &&
	open_issue &&
	fill "Sam Jones" "" klee "" 2 &&
	accept &&
	tui_wait "^  Host  *klee  *the host must be an active member" &&
	tui_wait "^  Name  *Sam Jones" &&
	aupctl --format csv --no-header visitor list --all >list &&
	test_line_count = 1 list
'

test_expect_success 'refused: no name; more hours than max_hours' '
	test_when_finished tui_stop &&
	open_issue &&
	tui_keys F2 &&
	tui_wait "^  Name  .*the visitor.s name is empty" &&
	tui_type "Ann Other" &&
	tui_keys Tab Tab Tab Tab BSpace &&
	tui_type 100 &&
	accept &&
	tui_wait "[0-9]+ hours" &&
	tui_wait "^  Name  *Ann Other" &&
	aupctl --format csv --no-header visitor list --all >list &&
	test_line_count = 1 list
'

test_expect_success 'end a visit: confirmed, and the login no longer works' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys v &&
	tui_wait "^ vjbloggs" &&
	tui_keys e &&
	tui_wait "End vjbloggs.s visit now\?" &&
	tui_keys y &&
	tui_wait "vjbloggs.s visit is ended" &&
	tui_wait "No visitor logins may be used now" &&
	tui_keys a &&
	tui_wait "^ vjbloggs  .*ended" &&
	aupctl --format csv --no-header visitor list --active >list &&
	test_line_count = 0 list
'

test_done
