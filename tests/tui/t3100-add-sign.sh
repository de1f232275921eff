#!/bin/bash
# auptui's add and sign: a new person through the form, each problem beside
# its field and nothing added until there is none; their password shown
# once with a 0600 slip; their agreement read to its end before it can be
# signed, by the person or, for a young pupil, a parent or carer; and the
# same rules as aupctl, which sees what auptui recorded.
. "$(dirname "$0")/tui-lib.sh"

test_expect_success 'setup: a primary school with a member of staff' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	aupctl -q user add --role staff --first Amy --last Smith
'

# open_add: the add form, from the people list.
open_add() {
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p &&
	tui_wait asmith &&
	tui_keys n &&
	tui_wait "^  Role  "
}

test_expect_success 'add: empty fields are named beside them; nothing added' '
	test_when_finished tui_stop &&
	open_add &&
	tui_type pupil &&
	tui_keys F2 &&
	tui_wait "^  First name  .*the first name is empty" &&
	tui_screen >screen &&
	grep "^  Last name  .*the last name is empty" screen &&
	grep "^  Year group  .*a pupil needs a year group" screen &&
	grep "^First name: the first name is empty" screen &&
	aupctl --format csv --no-header user list >list &&
	test_line_count = 1 list
'

test_expect_success 'add: Esc cancels, and nothing is added' '
	test_when_finished tui_stop &&
	open_add &&
	tui_type pupil && tui_keys Tab && tui_type Kit &&
	tui_keys Escape &&
	tui_wait "nothing added" &&
	aupctl --format csv --no-header user list >list &&
	test_line_count = 1 list
'

test_expect_success 'add a pupil: the password shown once, a slip, the page' '
	test_when_finished tui_stop &&
	open_add &&
	tui_type pupil && tui_keys Tab &&
	tui_type "Siân" && tui_keys Tab &&
	tui_type "Ó Briain" && tui_keys Tab &&
	tui_type 4 && tui_keys Tab &&
	tui_type 4B && tui_keys Enter Enter Enter &&
	tui_wait "^    Password" &&
	tui_screen >screen &&
	grep "Siân Ó Briain added as " screen &&
	user=$(sed -n "/^    Username/{n;s/ //g;p}" screen) &&
	pw=$(sed -n "/^    Password/{n;s/ //g;p}" screen) &&
	echo "$user" >user &&
	tui_keys w && tui_wait "^Write the slip to:" && tui_keys Enter &&
	tui_wait "Written to the slip" &&
	test "$(stat -c %a "$user-login.txt")" = 600 &&
	tui_keys Enter &&
	tui_wait "^ Siân Ó Briain \($user\)" &&
	tui_screen >screen &&
	grep "^   Year       4 (KS2)" screen &&
	grep "^   Class      4B" screen &&
	aupctl user show "$user" >show &&
	grep "^first  *Siân$" show &&
	aupctl --format csv log --user "$user" >log &&
	grep ",user.add," log &&
	echo "$user $pw" | aupctl auth --protocol squid >out &&
	echo OK >expect && test_cmp expect out
'

test_expect_success 'add a KS1 pupil: no password, the class logon instead' '
	test_when_finished tui_stop &&
	open_add &&
	tui_type pupil && tui_keys Tab &&
	tui_type Kit && tui_keys Tab && tui_type Lee && tui_keys Tab &&
	tui_type 1 && tui_keys F2 &&
	tui_wait "^ Kit Lee \(" &&
	tui_wait "Kit Lee added as .*; they log in with their class logon" &&
	tui_wait "^   State      none"
'

test_expect_success 'a rule of the core, as aupctl has it: no year 9 here' '
	test_when_finished tui_stop &&
	open_add &&
	tui_type pupil && tui_keys Tab &&
	tui_type Bo && tui_keys Tab && tui_type Li && tui_keys Tab &&
	tui_type 9 && tui_keys F2 &&
	tui_wait "above the school.s final year" &&
	aupctl --format csv --no-header user list --search Li >list &&
	test_line_count = 0 list
'

test_expect_success 'sign: not before the agreement is read to its end' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith" &&
	tui_keys g &&
	tui_wait "Sign the agreement .* staff v1" &&
	tui_wait "^  Acceptable use agreement for staff and volunteers" &&
	tui_wait "^Read it to the end \(Space, PgDn\) to go on" &&
	tui_keys Enter &&
	tui_wait "read it to its end first" &&
	aupctl --format csv --no-header aup history asmith >hist &&
	test_line_count = 0 hist
'

test_expect_success 'sign: staff sign for themselves, on paper, confirmed' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith" &&
	tui_wait "^   staff: NOT SIGNED" &&
	tui_keys g && tui_wait "staff v1" &&
	tui_keys End &&
	tui_wait "staff v1  100%" &&
	tui_wait "^Read to the end: Enter to record the signature" &&
	tui_keys Enter &&
	tui_wait "^Signed by: Amy Smith" && tui_keys Enter &&
	tui_wait "^Signed on paper or here on screen .* paper" &&
	tui_keys Enter &&
	tui_wait "Record that Amy Smith signed staff .* on paper\? \(y/n\)" &&
	tui_keys y &&
	tui_wait "recorded: Amy Smith signed staff v1" &&
	tui_wait "^   staff: signed" &&
	aupctl --format csv --no-header aup history asmith >hist &&
	grep "^asmith,.*,staff,1,.*,Amy Smith,self,true,paper,$(id -un)," hist
'

test_expect_success 'sign: a KS1 pupil, by a parent or carer' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys g && tui_wait "Sign the agreement" &&
	tui_keys End && tui_wait "100%" &&
	tui_keys Enter &&
	tui_wait "^The parent or carer who signed, their name:" &&
	tui_type "Mair Lee" && tui_keys Enter &&
	tui_wait "^Their relationship \(parent or carer\): parent" &&
	tui_keys BSpace BSpace BSpace BSpace BSpace BSpace &&
	tui_type carer && tui_keys Enter &&
	tui_wait "paper or here on screen" &&
	tui_keys BSpace BSpace BSpace BSpace BSpace &&
	tui_type screen && tui_keys Enter &&
	tui_wait "on screen\? \(y/n\)" && tui_keys y &&
	tui_wait "Record the parents. consents now too\? \(y/n\)" &&
	tui_keys n &&
	tui_wait "recorded: Mair Lee signed" &&
	user=$(aupctl --format csv --no-header user list --search lee | cut -d, -f2) &&
	aupctl --format csv --no-header aup history "$user" >hist &&
	grep ",Mair Lee,carer,false,screen," hist &&
	aupctl --format csv --no-header aup consents --missing >missing &&
	grep "^$user," missing
'

test_expect_success 'consents from the pupil page: asked, recorded, listed' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type lee && tui_keys Enter Enter &&
	tui_wait "^ Kit Lee" &&
	tui_keys c &&
	tui_wait "^Photos and video of them may be used \(yes/no\)\?" &&
	tui_type no && tui_keys Enter &&
	tui_wait "^Their data may go to learning platforms" &&
	tui_type yes && tui_keys Enter &&
	tui_wait "^Consent given by" &&
	tui_type "Mair Lee" && tui_keys Enter &&
	tui_wait "^Their relationship \(parent or carer\): parent" &&
	tui_keys Enter &&
	tui_wait "consents recorded for .*: photos no, platforms yes" &&
	tui_keys End &&
	tui_wait "^   20[0-9][0-9]-[0-9][0-9]  images: no  platforms: yes  by Mair Lee \(parent\)" &&
	aupctl --format csv --no-header aup consents --images no >list &&
	grep "Kit,Lee" list
'

test_expect_success 'sign again: said so, and nothing changes' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith" &&
	tui_keys g && tui_wait "staff v1" && tui_keys End &&
	tui_wait "100%" && tui_keys Enter Enter Enter &&
	tui_wait "\(y/n\)" && tui_keys y &&
	tui_wait "had signed staff already: nothing changed" &&
	aupctl --format csv --no-header aup history asmith >hist &&
	test_line_count = 1 hist
'

test_expect_success 'edit: filled in from the record, checked, saved, logged' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith" &&
	tui_keys e &&
	tui_wait "^  First name  *Amy" &&
	tui_wait "^  Last name  *Smith" &&
	tui_keys Tab Tab Tab Tab Tab &&
	tui_type "amy.smith@school.example" &&
	tui_keys Tab Tab && tui_keys C-u && tui_type "Smith-Jones" &&
	tui_keys Tab && tui_type 4 &&
	tui_keys F2 &&
	tui_wait "^  Year group  *4  *a year group is only for pupils" &&
	aupctl user show asmith >show &&
	grep "^last  *Smith$" show &&
	tui_keys C-u &&
	tui_keys F2 &&
	tui_wait "^ Amy Smith-Jones" &&
	tui_wait "^   Email      amy.smith@school.example" &&
	tui_wait "^saved" &&
	aupctl user show asmith >show &&
	grep "^last  *Smith-Jones$" show &&
	aupctl --format csv log --user asmith >log &&
	grep ",user.edit," log
'

test_expect_success 'edit: Esc changes nothing' '
	test_when_finished tui_stop &&
	tui_start 80x24 &&
	tui_wait Dashboard &&
	tui_keys p / && tui_type smith && tui_keys Enter Enter &&
	tui_wait "^ Amy Smith-Jones" &&
	tui_keys e && tui_wait "^  First name  *Amy" &&
	tui_keys C-u && tui_type Zed && tui_keys Escape &&
	tui_wait "nothing changed" &&
	tui_wait "^ Amy Smith-Jones"
'

test_expect_success 'F1 shows the form keys; Esc is the way out of it' '
	test_when_finished tui_stop &&
	open_add &&
	tui_keys F1 &&
	tui_wait "^  F2  *add the person" &&
	tui_screen >screen &&
	grep "^  Esc  *cancel: nothing is added" screen &&
	! grep "^  q, Esc" screen &&
	tui_keys Tab &&
	tui_wait "^  Role  "
'

test_done
