#!/bin/bash
# auptui's import: the MIS export picked from a menu of the folder, the
# plan shown (the real run, rolled back: nothing written), then the import
# confirmed, with its progress, its slips at 0600, and what it did; a file
# that cannot be imported refused with its line and column.
. "$(dirname "$0")/tui-lib.sh"
S=$AUPCTL_SRCDIR/data/samples
# Cheap hashes: this is about the screens, not the cost of a password.
printf "[argon2]\nt_cost = 1\nm_cost_kib = 64\n" >"$TRASH/cheap.ini"
export AUPCTL_CONFIG=$TRASH/cheap.ini

test_expect_success 'setup: an empty school, an export in the folder' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	cp "$S/sims-primary.csv" roll.csv &&
	printf "UPN,Forename,Surname,Year,Reg\nA1,Zed,Quorn,4,4A\nA2,Bob,,4,4A\n" >bad.csv
'

# open_import: the import form, from the dashboard's i.
open_import() {
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys i &&
	tui_wait "^  File  "
}

test_expect_success 'F3 picks the file from a menu of the folder' '
	test_when_finished tui_stop &&
	long=$(printf "export-%0100d.csv" 7) &&
	: >"$long" &&
	open_import &&
	tui_keys F3 &&
	tui_wait "auptui Pick a file .*$TRASH" &&
	tui_wait "^  roll.csv" &&
	tui_wait "^  export-0000000.*~" &&
	tui_type roll &&
	tui_keys Enter &&
	tui_wait "^  File  +/" &&
	tui_keys F2 &&
	tui_wait "^ 254 rows read"
'

test_expect_success 'the plan: what it would do, and nothing written' '
	test_when_finished tui_stop &&
	open_import &&
	tui_type "$TRASH/roll.csv" &&
	tui_keys F2 &&
	tui_wait "^ 254 rows read \(UTF-8 with BOM, .,.\); would do:" &&
	tui_screen >screen &&
	grep "^   new  *254$" screen &&
	grep "^   class-logon 6$" screen &&
	grep "^ 2  *new  *27kakhtar  *Khadija Akhtar, N1H" screen &&
	grep "^nothing is written yet: Enter imports it" screen &&
	aupctl --format csv --no-header user list >list &&
	test_line_count = 0 list
'

test_expect_success 'confirmed: imported, passwords on a 0600 slip' '
	test_when_finished tui_stop &&
	open_import &&
	tui_type "$TRASH/roll.csv" &&
	tui_keys Tab Tab Tab Tab Tab &&
	tui_keys C-u &&
	tui_type "$TRASH/slips.txt" &&
	tui_keys F2 &&
	tui_wait "would do:" &&
	tui_keys Enter &&
	tui_wait "Import .*roll.csv now\? \(y/n\)" &&
	tui_keys y &&
	tui_wait "^ 254 rows read .*; imported:" &&
	tui_wait "^   [0-9]+ new passwords on the slips in .*slips.txt" &&
	test "$(stat -c %a slips.txt)" = 600 &&
	aupctl --format csv --no-header user list >list &&
	test_line_count = 260 list &&
	tui_keys Enter &&
	tui_wait "^  File "
'

test_expect_success 'a bad file: refused, its line and column, nothing written' '
	test_when_finished tui_stop &&
	open_import &&
	tui_type "$TRASH/bad.csv" &&
	tui_keys F2 &&
	tui_wait "^ 3:[0-9]+  *invalid " &&
	tui_keys Enter &&
	tui_wait "cannot be imported as it is" &&
	aupctl --format csv --no-header user list --search Quorn >list &&
	test_line_count = 0 list
'

test_expect_success 'the form refuses what it cannot take, beside the field' '
	test_when_finished tui_stop &&
	open_import &&
	tui_type "$TRASH/none.csv" && tui_keys Tab &&
	tui_keys C-u && tui_type governors &&
	tui_keys F2 &&
	tui_wait "^  File  .*no such file" &&
	tui_wait "^  Who  .*pupils or staff"
'

test_done
