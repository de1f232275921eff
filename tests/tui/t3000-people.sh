#!/bin/bash
# auptui as the office meets it: the dashboard with the school's name, the
# keys under `?`, the people list with a UTF-8 name at its width, search as
# you type, a person's page, a new password shown once and written to a
# 0600 slip, a suspension, a resize, and the terminal given back on every
# way out.
. "$(dirname "$0")/tui-lib.sh"

test_expect_success 'setup: a primary school with staff and two pupils' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	aupctl -q user add --role staff --first Amy --last Smith &&
	aupctl -q user add --role pupil --first Zoë --last Quilliam \
		--year 4 --class 4A &&
	aupctl -q user add --role pupil --first Kit --last Lee --year 3 \
		--username klee
'

test_expect_success 'the dashboard: the school, its year, people by role' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait "auptui Dashboard .* Riverside Primary  20[0-9][0-9]-[0-9][0-9]" &&
	tui_screen >screen &&
	grep "^    Pupils  *2$" screen &&
	grep "^    Staff  *1$" screen &&
	grep "^    Everyone  *3$" screen &&
	grep "^    Agreements not signed this year  *3$" screen &&
	grep "^Enter open  p people  v visitors  a audit  l leavers  g recount  ? keys" screen
'

test_expect_success '? shows the keys of the screen, from its key table' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys "?" &&
	tui_wait "^  Enter  *open the list behind the count" &&
	tui_screen >screen &&
	grep "^  p  *people: everyone" screen &&
	grep "^  q, Esc  *go back; quit from the dashboard" screen &&
	tui_keys "?" &&
	tui_wait "^    Pupils"
'

test_expect_success 'people: staff and Zoë, the columns kept straight' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait "^ Username  *Name  *Role  *Year  *Class  *Status  *AUP  *Pw age" &&
	tui_screen >screen &&
	grep "^ 2[0-9]zquilliam    Zoë Quilliam    pupil     Y4 KS2   4A     active    no   -$" screen &&
	grep "^ asmith         Amy Smith       staff                     active    no   -$" screen &&
	grep "^ klee  *Kit Lee  *pupil  *Y3 KS2" screen
'

test_expect_success '/ then quil narrows the list to Zoë; Esc brings all back' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait asmith &&
	tui_keys / &&
	tui_type quil &&
	tui_wait "^Search: quil" &&
	tui_wait_gone asmith &&
	tui_screen >screen &&
	grep "zquilliam  *Zoë Quilliam" screen &&
	! grep klee screen &&
	tui_keys Escape &&
	tui_wait asmith &&
	tui_wait klee
'

test_expect_success 'search folds accents and case: ZOE finds Zoë' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / &&
	tui_type ZOE &&
	tui_wait_gone asmith &&
	tui_wait "zquilliam  *Zoë Quilliam"
'

test_expect_success 'filters: r steps through the roles, x clears' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait asmith &&
	tui_keys r &&
	tui_wait "People .* pupil  page 1" &&
	tui_wait_gone asmith &&
	tui_keys r &&
	tui_wait "People .* staff  page 1" &&
	tui_wait_gone klee &&
	tui_keys x &&
	tui_wait klee
'

test_expect_success 'Enter opens the person: details, password, agreement' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type quil && tui_keys Enter Enter &&
	tui_wait "^ Zoë Quilliam \(2[0-9]zquilliam\)" &&
	tui_screen >screen &&
	grep "^   Year       4 (KS2)" screen &&
	grep "^   Class      4A" screen &&
	grep "^   State      none" screen &&
	grep "^   pupil-ks2: NOT SIGNED" screen
'

test_expect_success 'a new password: shown once, on a 0600 slip, and it works' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type quil && tui_keys Enter Enter &&
	tui_wait "^ Zoë Quilliam" &&
	tui_keys p &&
	tui_wait "new password\? .*\(y/n\)" &&
	tui_keys y &&
	tui_wait "^    Password" &&
	user=$(tui_screen | sed -n "/^    Username/{n;s/ //g;p}") &&
	pw=$(tui_screen | sed -n "/^    Password/{n;s/ //g;p}") &&
	test -n "$pw" &&
	tui_keys w &&
	tui_wait "^Write the slip to: .*-login.txt" &&
	tui_keys Enter &&
	tui_wait "Written to the slip" &&
	test "$(stat -c %a "$user-login.txt")" = 600 &&
	grep -F -- "$pw" "$user-login.txt" &&
	echo "$user $pw" | aupctl auth --protocol squid >out &&
	echo OK >expect &&
	test_cmp expect out &&
	tui_keys Enter &&
	tui_wait "^   State      ok, must be changed at next login" &&
	! tui_screen | grep -F -- "$pw"
'

test_expect_success 'p prints the slip with [print] command; the file goes' '
	test_when_finished tui_stop &&
	cat >fake-lp <<-\EOF &&
	#!/bin/sh
	echo "$1" >"$HOME/printed.path"
	stat -c %a "$1" >"$HOME/printed.mode"
	cat "$1" >"$HOME/printed.txt"
	EOF
	chmod +x fake-lp &&
	printf "[print]\ncommand = $TRASH/fake-lp\n" >print.ini &&
	AUPCTL_CONFIG=$TRASH/print.ini tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys p && tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "^    Password" &&
	pw=$(tui_screen | sed -n "/^    Password/{n;s/ //g;p}") &&
	tui_keys p &&
	tui_wait "the slip went to the printer" &&
	grep -F -- "$pw" "$HOME/printed.txt" &&
	grep -x 600 "$HOME/printed.mode" &&
	! test -e "$(cat "$HOME/printed.path")"
'

test_expect_success 'no printer command: said so, and what to do' '
	test_when_finished tui_stop &&
	printf "[print]\ncommand = no-such-lp -d office\n" >print.ini &&
	AUPCTL_CONFIG=$TRASH/print.ini tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys p && tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "^    Password" &&
	tui_keys p &&
	tui_wait "could not run .no-such-lp.: install CUPS"
'

test_expect_success 'suspend with a reason and an end date, logged' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith" &&
	tui_keys s &&
	tui_wait "^Suspend: the reason\?" &&
	tui_type "category B" && tui_keys Enter &&
	tui_wait "^Until" &&
	tui_type 2030-01-10 && tui_keys Enter &&
	tui_wait "Suspend asmith\?" &&
	tui_keys y &&
	tui_wait "^   Status     suspended: category B, until 2030-01-10" &&
	tui_wait "asmith is suspended" &&
	aupctl user show asmith >show &&
	grep "^status  *suspended$" show &&
	aupctl --format csv log --user asmith >log &&
	grep ",user.suspend," log
'

test_expect_success 'a bad date is refused on the status line; nothing changes' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys s && tui_wait "^Suspend" &&
	tui_type x && tui_keys Enter && tui_wait "^Until" &&
	tui_type "next week" && tui_keys Enter &&
	tui_wait "not a date: write it as 2026-12-01" &&
	tui_wait "^   Status     active" &&
	aupctl --format csv --no-header log --user klee >log &&
	! grep user.suspend log
'

test_expect_success 'a resize redraws; below 80x24 it asks for room' '
	test_when_finished tui_stop &&
	tui_start 100x30 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait "^ Username  *Name" &&
	tmux_ resize-window -t tui -x 80 -y 24 &&
	tui_wait "^ asmith  *Amy Smith  *staff" &&
	test "$(tui_screen | wc -l)" = 24 &&
	tmux_ resize-window -t tui -x 60 -y 20 &&
	tui_wait "needs a terminal of at least 80x24" &&
	tmux_ resize-window -t tui -x 80 -y 24 &&
	tui_wait "^ asmith  *Amy Smith" &&
	tui_keys q &&
	tui_wait Dashboard
'

test_expect_success 'a count opens its list: a locked account, then unlock' '
	test_when_finished tui_stop &&
	echo "klee $(printf "pw-%s\n" 1)" >req &&
	for i in 1 2 3 4 5; do
		aupctl auth --protocol squid <req >/dev/null || return 1
	done &&
	tui_start 80x24 &&
	tui_wait "^    Locked accounts  *1$" &&
	tui_keys Down Down Down Down Down Down Down Down Down Down Enter &&
	tui_wait "Needs attention" &&
	tui_wait "^ Accounts locked after failed logins" &&
	tui_wait "^ klee  *Kit Lee  *pupil  *until 20" &&
	tui_keys Enter &&
	tui_wait "^   Locked     until 20" &&
	tui_keys u &&
	tui_wait "klee is unlocked" &&
	tui_wait "^   Locked     no" &&
	tui_keys q && tui_wait "No one" &&
	tui_keys q && tui_wait "^    Locked accounts  *0$" &&
	aupctl --format csv log --user klee >log &&
	grep ",user.unlock," log
'

test_expect_success 'q from the dashboard quits; the terminal is restored' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait asmith &&
	tui_keys Escape &&
	tui_wait Dashboard &&
	tui_keys q &&
	tui_exited &&
	grep "^exit=0$" tui.exit &&
	grep -w icanon tui.stty && grep -w echo tui.stty &&
	! grep -w -- -icanon tui.stty
'

test_expect_success 'Ctrl-C quits from any screen; the terminal is restored' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait asmith &&
	tui_keys C-c &&
	tui_exited &&
	grep "^exit=0$" tui.exit &&
	grep -w icanon tui.stty && ! grep -w -- -echo tui.stty
'

test_expect_success 'colour where the terminal has it; none with NO_COLOR' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_screen -e >colour &&
	grep "$(printf "\033")\[[0-9;]*4[0-9]m" colour &&
	tui_stop &&
	NO_COLOR=1 tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_screen -e >plain &&
	! grep "$(printf "\033")\[[0-9;]*[34][0-7]m" plain &&
	grep "$(printf "\033")\[[0-9;]*7m" plain
'

test_expect_success 'an auditor sees everything and changes nothing' '
	test_when_finished tui_stop &&
	test_db_as auditor audit.db &&
	AUPCTL_DB=$TRASH/audit.db aupctl --format csv log --user klee >before &&
	AUPCTL_DB=$TRASH/audit.db tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys p && tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "auditor" &&
	tui_screen >screen &&
	! grep "^    Password" screen &&
	AUPCTL_DB=$TRASH/audit.db aupctl --format csv log --user klee >after &&
	test_cmp before after
'

test_expect_success 'not on a terminal, or no database: a clear error' '
	test_when_finished tui_stop &&
	test_expect_code 64 "$AUPTUI" </dev/null >out 2>err &&
	grep "auptui: needs a terminal" err &&
	AUPCTL_DB=$TRASH/none.db tui_start 80x24 &&
	tui_exited &&
	grep "^exit=66$" tui.exit &&
	grep "^auptui: error: .*none.db" tui.err &&
	grep "^auptui: hint: " tui.err
'

test_done
