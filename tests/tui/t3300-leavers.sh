#!/bin/bash
# auptui's leavers: the dashboard's count opens the open checklists; a
# checklist ticked item by item, with a note if wanted, as aupctl then sees
# it; finishing refused while items are open, then done, the password no
# longer working; and finished with items open, for a reason.
. "$(dirname "$0")/tui-lib.sh"
PW=maple-otter-cloud-42
OK_AUTH=OK

# squid USER: what the login helper answers for USER with PW.
squid() {
	echo "$1 $PW" | aupctl auth --protocol squid
}

# open_checklist: auptui from the dashboard's count to the first open
# checklist.
open_checklist() {
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys l &&
	tui_wait "auptui Leavers" &&
	tui_keys Enter &&
	tui_wait "^ Amy Smith \(asmith\), staff"
}

test_expect_success 'setup: two staff with passwords; Amy is leaving' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	echo "$PW" | aupctl -q user add --role staff --first Amy --last Smith \
		--password-stdin &&
	echo "$PW" | aupctl -q user add --role staff --first Ben --last Jones \
		--password-stdin &&
	aupctl -q leaver start asmith --date 2030-07-20 --reason "new post" &&
	test "$(squid asmith)" = OK
'

test_expect_success 'the dashboard counts one open; Enter on it lists it' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait "^    Leaver checklists open  *1$" &&
	grep "l leavers" <(tui_screen) &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		tui_keys Down || return 1
	done &&
	tui_keys Enter &&
	tui_wait "auptui Leavers .* open: 1" &&
	tui_screen >screen &&
	grep "^ Username  *Name  *Role  *Leaving  *Items open  *Started" screen &&
	grep "^ asmith  *Amy Smith  *staff  *2030-07-20 7 of 7  *20[0-9-]*$" screen &&
	tui_keys q &&
	tui_wait "^    Leaver checklists open  *1$"
'

test_expect_success 'the checklist: who, when, why, and every item open' '
	test_when_finished tui_stop &&
	open_checklist &&
	tui_screen >screen &&
	grep "^   Leaving    2030-07-20: new post$" screen &&
	grep "^   Opened     20[0-9: -]* by $(id -un)$" screen &&
	grep "^   Checklist  open: 7 of 7 items to do$" screen &&
	grep "^   Status     leaving$" screen &&
	test "$(grep -c "^  \[ \] " screen)" = 7 &&
	grep "^  \[ \] Equipment returned" screen &&
	grep "^  \[ \] Personal data on removable media returned" screen &&
	grep "^ equipment: not done yet" screen &&
	grep "^Space tick  n note  f finish  ? keys  q back" screen
'

test_expect_success '? lists the checklist keys from its table' '
	test_when_finished tui_stop &&
	open_checklist &&
	tui_keys "?" &&
	tui_wait "^  Space  *tick the item" &&
	tui_screen >screen &&
	grep "^  n  *tick the item with a note" screen &&
	grep "^  f  *finish: the password reset, the status left" screen &&
	grep "^  Down  *the next" screen
'

test_expect_success 'Space ticks the item; aupctl sees who ticked it' '
	test_when_finished tui_stop &&
	open_checklist &&
	tui_keys Space &&
	tui_wait "^  \[x\] Equipment returned  *by $(id -un), 20" &&
	tui_wait "Equipment returned. ticked" &&
	tui_wait "^   Checklist  open: 6 of 7 items to do$" &&
	aupctl --format csv --no-header leaver show asmith >items &&
	grep "^equipment,Equipment returned,true,20[^,]*,$(id -un),$" items &&
	grep "^keys,Keys and fob returned,false,,," items
'

test_expect_success 'Space on a ticked item says so; nothing changes' '
	test_when_finished tui_stop &&
	open_checklist &&
	n=$(aupctl --format csv --no-header log | wc -l) &&
	tui_keys Space &&
	tui_wait "was ticked already; a tick cannot be taken back" &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n"
'

test_expect_success 'n ticks with a note that aupctl sees' '
	test_when_finished tui_stop &&
	open_checklist &&
	tui_keys Down &&
	tui_wait "^ keys: not done yet" &&
	tui_keys n &&
	tui_wait "^Tick it with the note:" &&
	tui_type "fob 112 returned" &&
	tui_keys Enter &&
	tui_wait "^  \[x\] Keys and fob returned  *by $(id -un), 20[0-9-]*: fob" &&
	tui_wait "^ keys: by $(id -un), 20[0-9: -]*: fob 112 returned$" &&
	aupctl --format csv --no-header leaver show asmith >items &&
	grep "^keys,Keys and fob returned,true,20[^,]*,$(id -un),fob 112 returned$" items
'

test_expect_success 'f with items open: refused, nothing changes' '
	test_when_finished tui_stop &&
	open_checklist &&
	n=$(aupctl --format csv --no-header log | wc -l) &&
	tui_keys f &&
	tui_wait "^Finish asmith.s checklist\? Their password is reset and they can no longer" &&
	tui_keys y &&
	tui_wait "^Finish anyway\? The reason \(Esc: keep it open\):" &&
	tui_wait "asmith.s checklist has items open: pins, email, images, media" &&
	tui_keys Escape &&
	tui_wait "^asmith.s checklist has items open: pins, email, images, media - tick" &&
	tui_wait "^   Checklist  open: 5 of 7" &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n" &&
	aupctl user show asmith >show &&
	grep "^status  *leaving$" show &&
	test "$(squid asmith)" = OK
'

test_expect_success 'f, n: nothing is asked, nothing changes' '
	test_when_finished tui_stop &&
	open_checklist &&
	n=$(aupctl --format csv --no-header log | wc -l) &&
	tui_keys f &&
	tui_wait "^Finish asmith.s checklist\?" &&
	tui_keys n &&
	tui_wait_gone "^Finish" &&
	tui_wait "^Space tick" &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n"
'

test_expect_success 'every item ticked, f and y: finished, the password dead' '
	test_when_finished tui_stop &&
	open_checklist &&
	tui_keys Down Down Space &&
	tui_wait "^  \[x\] Door and alarm PINs reset" &&
	tui_keys Down Down Space &&
	tui_wait "^  \[x\] Email disabled" &&
	tui_keys Down Space &&
	tui_wait "^  \[x\] Images of pupils removed" &&
	tui_keys Down Space &&
	tui_wait "^  \[x\] Personal data on removable" &&
	tui_wait "^   Checklist  open: 1 of 7 items to do$" &&
	tui_keys f &&
	tui_wait "^Finish asmith.s checklist\?" &&
	tui_keys y &&
	tui_wait "asmith has left: their password can no longer be used" &&
	tui_wait "^   Checklist  finished 20[0-9: -]* by $(id -un)$" &&
	tui_wait "^   Status     left$" &&
	tui_wait "^  \[x\] Network password reset  *by aupctl, 20" &&
	aupctl user show asmith >show &&
	grep "^status  *left$" show &&
	test "$(squid asmith)" != OK &&
	aupctl --format csv --no-header leaver list --pending >list &&
	test_line_count = 0 list
'

test_expect_success 'a finished checklist: ticking it is refused by the core' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys l &&
	tui_wait "No leaver checklists are open." &&
	tui_keys a &&
	tui_wait "^ asmith  *Amy Smith  *staff  *2030-07-20 finished" &&
	tui_keys Enter &&
	tui_wait "^   Checklist  finished" &&
	tui_keys Up Up Up Space &&
	tui_wait "checklist is finished" &&
	tui_keys q &&
	tui_wait "auptui Leavers .* all: 1" &&
	tui_keys a &&
	tui_wait "No leaver checklists are open."
'

test_expect_success 'finished with items open: a reason, asked twice' '
	test_when_finished tui_stop &&
	aupctl -q leaver start bjones --reason "moved away" &&
	test "$(squid bjones)" = OK &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys l &&
	tui_wait "^ bjones  *Ben Jones" &&
	tui_keys Enter &&
	tui_wait "^ Ben Jones \(bjones\), staff" &&
	tui_keys f && tui_wait "^Finish bjones.s checklist\?" && tui_keys y &&
	tui_wait "^Finish anyway\? The reason" &&
	tui_type "left without notice" &&
	tui_keys Enter &&
	tui_wait "^Finish bjones.s checklist with items open\? .*\(y/n\)" &&
	tui_keys y &&
	tui_wait "bjones has left" &&
	tui_wait "^   Checklist  finished 20[0-9: -]* by $(id -un), with items open$" &&
	tui_wait "^   Why        left without notice$" &&
	aupctl user show bjones >show &&
	grep "^status  *left$" show &&
	test "$(squid bjones)" != OK &&
	aupctl leaver show bjones >out &&
	grep "with items open: left without notice" out
'

test_expect_success 'force, then no at the second question: nothing changes' '
	test_when_finished tui_stop &&
	echo "$PW" | aupctl -q user add --role staff --first Cat --last King \
		--password-stdin &&
	aupctl -q leaver start cking &&
	n=$(aupctl --format csv --no-header log | wc -l) &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys l &&
	tui_wait "^ cking" &&
	tui_keys Enter &&
	tui_wait "^ Cat King" &&
	tui_keys f && tui_wait "^Finish cking" && tui_keys y &&
	tui_wait "^Finish anyway\? The reason" &&
	tui_type "gone" && tui_keys Enter &&
	tui_wait "with items open\? .*\(y/n\)" &&
	tui_keys n &&
	tui_wait "^cking.s checklist has items open" &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n" &&
	test "$(squid cking)" = OK
'

test_expect_success 'a person: L opens their checklist, leaving on a day' '
	test_when_finished tui_stop &&
	echo "$PW" | aupctl -q user add --role staff --first Dee --last Dunn \
		--password-stdin &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type dunn && tui_keys Enter Enter &&
	tui_wait "^ Dee Dunn \(ddunn\)" &&
	tui_keys L &&
	tui_wait "^Leaving on \(2026-12-18, empty for today\)\?" &&
	tui_type 2030-09-01 && tui_keys Enter &&
	tui_wait "^Why they leave" &&
	tui_type retiring && tui_keys Enter &&
	tui_wait "^Open a leaver checklist for ddunn, leaving on 2030-09-01\?" &&
	tui_keys y &&
	tui_wait "^   Leaving    2030-09-01: retiring$" &&
	tui_wait "ddunn is leaving: their checklist is open" &&
	aupctl user show ddunn >show &&
	grep "^status  *leaving$" show &&
	test "$(squid ddunn)" = OK &&
	tui_keys q &&
	tui_wait "^   Status     leaving" &&
	tui_keys L &&
	tui_wait "^Leaving on" && tui_keys Enter &&
	tui_wait "^Why they leave" && tui_keys Enter &&
	tui_wait "leaving today\?" && tui_keys y &&
	tui_wait "ddunn is leaving already"
'

test_expect_success 'a person: L with a date that is not one changes nothing' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type jones && tui_keys Enter Enter &&
	tui_wait "^ Ben Jones \(bjones\)" &&
	n=$(aupctl --format csv --no-header log | wc -l) &&
	tui_keys L &&
	tui_wait "^Leaving on" &&
	tui_type "next week" && tui_keys Enter &&
	tui_wait "not a date: write it as 2026-12-18" &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n"
'

test_done
