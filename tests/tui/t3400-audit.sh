#!/bin/bash
# auptui's agreement audit: signed of all owed this year, with a bar, for
# the school, each role and each class; drilling down to the names not
# signed; and a stack of paper forms signed one after another from there.
. "$(dirname "$0")/tui-lib.sh"

test_expect_success 'setup: two staff, a governor, two pupils in 4A' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	aupctl -q user add --role staff --first Amy --last Smith &&
	aupctl -q user add --role staff --first Ben --last Jones &&
	aupctl -q user add --role governor --first Gil --last Moss &&
	aupctl -q user add --role pupil --first Kit --last Lee --year 4 \
		--class 4A &&
	aupctl -q user add --role pupil --first Ola --last Ade --year 4 \
		--class 4A
'

test_expect_success 'a: the audit, with a bar for each role and class' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys a &&
	tui_wait "auptui Agreement audit  .*signed for 20[0-9][0-9]-[0-9][0-9]" &&
	tui_screen >screen &&
	grep "^    Everyone  *0 of 5  *0%  \.\.\.\.*$" screen &&
	grep "^    staff  *0 of 2  *0%" screen &&
	grep "^    governor  *0 of 1  *0%" screen &&
	grep "^    4A  *0 of 2  *0%" screen
'

test_expect_success 'the dashboard count of the unsigned opens the audit' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait "^    Agreements not signed this year  *5$" &&
	tui_keys Down Down Down Down Down Down Down Enter &&
	tui_wait "auptui Agreement audit"
'

test_expect_success 'a stack of paper forms: staff signed one after another' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys a && tui_wait "Agreement audit" &&
	tui_keys Down Down Enter &&
	tui_wait "Not signed .* staff: 2 not signed" &&
	tui_wait "^ bjones  *Ben Jones  *staff  .*staff" &&
	tui_keys g && tui_wait "staff v1" &&
	tui_keys End && tui_wait "100%" && tui_keys Enter &&
	tui_wait "^Signed by: Ben Jones" && tui_keys Enter Enter &&
	tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "staff: 1 not signed" &&
	tui_wait "recorded: Ben Jones signed staff v1" &&
	tui_keys g && tui_wait "staff v1" &&
	tui_keys End && tui_wait "100%" && tui_keys Enter &&
	tui_wait "^Signed by: Amy Smith" && tui_keys Enter Enter &&
	tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "Everyone here has signed" &&
	tui_keys q &&
	tui_wait "^    staff  *2 of 2  *100%  #*$" &&
	tui_wait "^    Everyone  *2 of 5  *40%" &&
	aupctl --format csv --no-header aup audit --role staff >left &&
	test_line_count = 0 left
'

test_expect_success 'a class drills down to its pupils; Enter opens one' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys a && tui_wait "Agreement audit" &&
	tui_keys End &&
	tui_keys Down Down Down Down Down Down Down Enter &&
	tui_wait "pupil in 4A: 2 not signed" &&
	tui_screen >screen &&
	grep "klee  *Kit Lee  *pupil  *4A  *pupil-ks2" screen &&
	grep "oade  *Ola Ade  *pupil  *4A  *pupil-ks2" screen &&
	tui_keys Enter &&
	tui_wait "^ Ola Ade"
'

test_done
