#!/bin/bash
# People: adding, listing with filters, showing, editing, suspending and
# exporting; names kept as typed; bad input refused with nothing written.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"

test_expect_success 'setup' '
	aupctl init --school "Riverside Primary" --final-year 6
'

test_expect_success 'add staff keeps names as typed' '
	aupctl user add --role staff --first "Zoë" --last "O'\''Neill" \
		--email zoe@riverside.example >out &&
	grep "added zoneill: Zoë O'\''Neill (staff)" out &&
	aupctl user show zoneill >show &&
	grep "^first  *Zoë$" show &&
	grep "^last  *O'\''Neill$" show
'

test_expect_success 'add pupils across key stages' '
	aupctl user add --role pupil --first Siân --last "Ó Briain" --year 5 \
		--class 5B --mis-id A100 &&
	aupctl user add --role pupil --first Tom --last Lee --year 1 --class 1K &&
	aupctl user add --role pupil --first Ann --last Bell --year R &&
	aupctl user add --role pupil --first Dev --last Shah --year 6 --class 6S &&
	aupctl user add --role governor --first Gil --last Moss &&
	aupctl user add --role class --first Class --last 1K --year 1 --class 1K
'

test_expect_success 'usernames follow the templates and are ASCII' '
	aupctl --format csv user list >all.csv &&
	cut -d, -f2 all.csv | sed 1d | sort >names &&
	cat >expect <<-\EOF &&
	20dshah
	21sobriain
	25tlee
	26abell
	class1k
	gmoss
	zoneill
	EOF
	test_cmp expect names
'

test_expect_success 'list as CSV has a stable header' '
	head -1 all.csv >header &&
	echo "id,username,first,last,role,year,ks,class,status" >expect &&
	test_cmp expect header
'

test_expect_success '--ks filters by key stage' '
	aupctl --format csv user list --ks KS2 | cut -d, -f2 | sed 1d | sort >ks2 &&
	printf "%s\n" 20dshah 21sobriain >expect &&
	test_cmp expect ks2 &&
	aupctl --format csv user list --ks eyfs | cut -d, -f2 | sed 1d >eyfs &&
	echo 26abell >expect &&
	test_cmp expect eyfs
'

test_expect_success '--role, --year, --class and --search filter' '
	aupctl --format csv user list --role governor | sed 1d | cut -d, -f2 >out &&
	echo gmoss >expect && test_cmp expect out &&
	aupctl --format csv user list --year 1 --role pupil | sed 1d | cut -d, -f2 >out &&
	echo 25tlee >expect && test_cmp expect out &&
	aupctl --format csv user list --class 1k | sed 1d | cut -d, -f2 | sort >out &&
	printf "%s\n" 25tlee class1k >expect && test_cmp expect out &&
	aupctl --format csv user list --search "briain" | sed 1d | cut -d, -f2 >out &&
	echo 21sobriain >expect && test_cmp expect out
'

test_expect_success 'bad filter values are usage errors' '
	test_expect_code 64 aupctl user list --ks KS9 2>err &&
	grep "unknown key stage" err &&
	test_expect_code 64 aupctl user list --role teacher &&
	test_expect_code 64 aupctl user list --year 14 &&
	test_expect_code 64 aupctl user list --status gone
'

test_expect_success 'JSON output is an array of objects' '
	aupctl --format json user list --role governor >out &&
	cat >expect <<-\EOF &&
	[
	{"id":6,"username":"gmoss","first":"Gil","last":"Moss","role":"governor","year":null,"ks":null,"class":null,"status":"active"}
	]
	EOF
	test_cmp expect out
'

test_expect_success 'show as JSON is one object' '
	aupctl --format json user show mis:A100 >out &&
	grep "^{\"id\":2,\"username\":\"21sobriain\",.*\"year\":\"5\",\"ks\":\"KS2\"" out &&
	test_line_count = 1 out
'

test_expect_success 'CSV quotes commas; TSV has the same header' '
	aupctl user edit gmoss --last "Moss, Jr" &&
	aupctl --format csv user list --role governor >out &&
	grep -F ",Gil,\"Moss, Jr\",governor," out &&
	aupctl --format tsv user list --role governor | head -1 | tr "\t" , >h &&
	head -1 out >expect && test_cmp expect h
'

test_expect_success 'control characters in names are refused (65)' '
	test_expect_code 65 aupctl user edit gmoss --last "Moss	Jr" 2>err &&
	grep "not a name" err
'

test_expect_success 'users can be named by id:N and mis:ID' '
	aupctl --format csv user show id:1 | grep -q zoneill &&
	aupctl --format csv user show mis:A100 | grep -q 21sobriain
'

test_expect_success 'unknown user exits 67' '
	test_expect_code 67 aupctl user show nobody 2>err &&
	grep "no such user: nobody" err &&
	test_expect_code 67 aupctl user show id:99 &&
	test_expect_code 67 aupctl user show mis:Z999
'

log_lines() {
	aupctl --format csv log | wc -l
}

test_expect_success 'bad role exits 64 and changes nothing' '
	before=$(log_lines) &&
	aupctl --format csv user list >all.csv &&
	test_expect_code 64 aupctl user add --role teacher --first A --last B 2>err &&
	grep "unknown role" err &&
	test "$(log_lines)" = "$before" &&
	aupctl --format csv user list >now.csv &&
	test_cmp all.csv now.csv
'

test_expect_success 'invalid fields exit 65 and change nothing' '
	before=$(log_lines) &&
	test_expect_code 65 aupctl user add --role pupil --first A --last B 2>err &&
	grep "needs a year group" err &&
	test_expect_code 65 aupctl user add --role staff --first A --last B --year 3 &&
	test_expect_code 65 aupctl user add --role staff --first A --last B --email nope &&
	test_expect_code 65 aupctl user add --role staff --first A --last B --username "Bad Name" &&
	test_expect_code 65 aupctl user add --role staff --first A --last B --username zoneill &&
	test_expect_code 65 aupctl user add --role pupil --first A --last B --year 3 --mis-id A100 &&
	test_expect_code 65 aupctl user add --role staff --first "" --last B &&
	test "$(log_lines)" = "$before"
'

test_expect_success 'an error about a field not given names its option' '
	test_expect_code 65 aupctl user add --role pupil --first A --last B 2>err &&
	grep "^aupctl: hint: give --year Y: a year group is N, R or 1 to 13$" err &&
	test_expect_code 64 aupctl user suspend gmoss --reason "" 2>err &&
	grep "^aupctl: error: a suspension needs a reason$" err &&
	test_expect_code 65 aupctl user add --role staff --first A --last B \
		--year 3 2>err &&
	grep "only for pupils" err &&
	! grep "give --year" err &&
	test_expect_code 67 aupctl user show nobody 2>err &&
	grep "^aupctl: hint: look them up with .aupctl user list --search TEXT.$" err
'

test_expect_success 'a reason with a line break: say so, name no option' '
	test_expect_code 65 aupctl user suspend gmoss --reason "one
two" 2>err &&
	grep "^aupctl: error: the reason may not hold a line break$" err &&
	! grep "needs a reason" err &&
	aupctl --format csv user show gmoss | grep -q ",active,"
'

test_expect_success 'missing required options is a usage error' '
	test_expect_code 64 aupctl user add --role staff --first A 2>err &&
	grep "needs --role, --first and --last" err
'

test_expect_success 'edit changes details and logs before and after' '
	aupctl user edit 21sobriain --year 6 --class 6S &&
	aupctl --format csv user show 21sobriain | grep -q ",6,KS2,6S," &&
	aupctl --format csv log --user 21sobriain | tail -1 >last &&
	grep "user.edit" last &&
	grep -F "{\"\"year\"\":\"\"5\"\",\"\"class\"\":\"\"5B\"\"}" last
'

test_expect_success 'edit with nothing to change is a usage error' '
	test_expect_code 64 aupctl user edit gmoss
'

test_expect_success 'suspend needs a reason, then reactivate' '
	test_expect_code 64 aupctl user suspend 20dshah &&
	aupctl user suspend 20dshah --reason "category B sanction" &&
	aupctl --format csv user list --status suspended | sed 1d | cut -d, -f2 >out &&
	echo 20dshah >expect && test_cmp expect out &&
	aupctl user reactivate 20dshah &&
	test_expect_code 65 aupctl user reactivate 20dshah
'

test_expect_success 'a suspension with an end date ends by itself' '
	at "2030-01-01 09:00:00" aupctl user suspend gmoss --reason "break" \
		--until 2030-01-08 &&
	at "2030-01-07 09:00:00" aupctl --format csv user show gmoss | grep -q ",suspended," &&
	at "2030-01-09 09:00:00" aupctl --format csv user show gmoss | grep -q ",active,"
'

test_expect_success 'a suspension ending in the past is refused' '
	at "2030-02-01 09:00:00" aupctl user reactivate gmoss &&
	test_expect_code 65 at "2030-02-01 09:00:00" aupctl user suspend gmoss \
		--reason x --until 2030-01-01 &&
	test_expect_code 64 aupctl user suspend gmoss --reason x --until soon
'

test_expect_success 'suspending again changes the reason and the end, logged' '
	aupctl --format csv log --user 20dshah | grep -c ",user.suspend," >n0 &&
	aupctl user suspend 20dshah --reason "category B" --until 2026-12-01 &&
	aupctl user suspend 20dshah --reason "category C" --until 2026-12-15 \
		>out &&
	grep "suspended 20dshah until 2026-12-15" out &&
	aupctl user show 20dshah >show &&
	grep "^status  *suspended$" show &&
	grep "^status_reason  *category C$" show &&
	grep "^status_until  *2026-12-15" show &&
	aupctl --format csv log --user 20dshah >log &&
	grep -c ",user.suspend," log >n &&
	echo $(($(cat n0) + 2)) >expect && test_cmp expect n &&
	tail -1 log >last &&
	grep -F "category B" last && grep -F "category C" last &&
	grep -F "2026-12-15" last &&
	! grep -F "\"status\"" last &&
	aupctl user suspend 20dshah --reason "category C" &&
	aupctl user show 20dshah >show &&
	grep "^status  *suspended$" show &&
	! grep "^status_until" show &&
	aupctl user reactivate 20dshah
'

test_expect_success 'a name with no Latin letters: 65, asking for a username' '
	aupctl --format csv user list >before &&
	test_expect_code 65 aupctl user add --role staff --first "Мария" \
		--last "Иванова" 2>err &&
	grep "^aupctl: error: no username can be made from .Мария Иванова.*give a username$" err &&
	grep "^aupctl: hint: give --username U: a username is 1 to 32 of a-z" err &&
	test_expect_code 65 aupctl user add --role pupil --first "Мария" \
		--last "Иванова" --year 5 2>err &&
	grep "give a username" err &&
	test_expect_code 65 aupctl user add --role staff --first "Zoë" \
		--last "Иванова" 2>err &&
	grep "give a username" err &&
	aupctl --format csv user list >after &&
	test_cmp before after &&
	aupctl user add --role staff --first "Мария" --last "Иванова" \
		--username mivanova >out &&
	grep "added mivanova: Мария Иванова (staff)" out
'

test_expect_success 'the same person twice: added, with a warning' '
	aupctl user add --role pupil --first Aoife --last "O'\''Sullivan" \
		--year 5 --class 5B 2>err &&
	test ! -s err &&
	aupctl user add --role pupil --first Aoife --last "O'\''Sullivan" \
		--year 5 >out 2>err &&
	grep "^added 21aosullivan2: " out &&
	grep "^aupctl: warning: 21aosullivan2 may be the same person as 21aosullivan (same names and role, same year)$" err &&
	aupctl user show 21aosullivan2 &&
	aupctl --format csv user add --role pupil --first aoife \
		--last "O'\''SULLIVAN" --year 5 >out 2>err &&
	grep "may be the same person as 21aosullivan, 21aosullivan2 " err &&
	! grep -q warning out &&
	aupctl user add --role pupil --first Aoife --last "O'\''Sullivan" \
		--year 4 2>err &&
	test ! -s err &&
	aupctl user add --role staff --first Aoife --last "O'\''Sullivan" \
		2>err &&
	test ! -s err &&
	aupctl user add --role staff --first Aoife --last "O'\''Sullivan" \
		2>err &&
	grep "warning: aosullivan2 may be the same person as aosullivan (same names and role)$" err &&
	aupctl -q user add --role staff --first Aoife --last "O'\''Sullivan" \
		2>err &&
	test ! -s err
'

test_expect_success 'a pupil above the school'\''s final year is refused (65)' '
	aupctl --format csv user list >before &&
	test_expect_code 65 aupctl user add --role pupil --first Finn --last Kay \
		--year 9 2>err &&
	grep "^aupctl: error: year 9 is above the school.s final year, 6$" err &&
	aupctl --format csv user list >after &&
	test_cmp before after &&
	aupctl user add --role pupil --first Finn --last Kay --year 6 &&
	test_expect_code 65 aupctl user edit 20fkay --year 7 2>err &&
	grep "year 7 is above the school.s final year, 6" err &&
	aupctl user show 20fkay | grep "^year  *6$" &&
	printf "[school]\nfinal_year = 11\n" >secondary.ini &&
	aupctl --config secondary.ini user add --role pupil --first Gus \
		--last Kay --year 9
'

test_expect_success 'export shows everything held, never a hash' '
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Amy \
		--last Smith --password-stdin &&
	aupctl user export asmith >out &&
	grep "^username  *asmith" out &&
	grep "user.add" out &&
	! grep -i "argon2" out &&
	aupctl --format json user export asmith >out.json &&
	python3 -c "import json,sys; d=json.load(open(\"out.json\")); assert d[\"person\"][\"username\"]==\"asmith\"; assert d[\"log\"][0][\"action\"]==\"user.add\""
'

test_expect_success 'export as JSON: password metadata, changes as objects' '
	aupctl user edit asmith --email amy@riverside.example &&
	aupctl --format json user export asmith >out.json &&
	test_line_count = 1 out.json &&
	python3 - <<-\PY
	import json
	d = json.load(open("out.json"))
	assert d["password"]["state"] == "ok", d["password"]
	assert d["password"]["must_change"] is False
	assert d["password"]["failed_logins"] == 0
	assert d["person"]["email"] == "amy@riverside.example"
	edit = d["log"][-1]
	assert edit["action"] == "user.edit", edit
	assert edit["before"] == {"email": None}, edit["before"]
	assert edit["after"] == {"email": "amy@riverside.example"}, edit
	assert "argon2" not in open("out.json").read()
	PY
'

test_expect_success 'machine formats never mix with messages' '
	aupctl --format csv user add --role volunteer --first Val --last Ng >out 2>err &&
	head -1 out | grep -q "^id,username," &&
	! grep -q "added" out
'

test_expect_success 'table output fits a narrow terminal by display width' '
	aupctl user add --role volunteer --first "Zoë-Éléonore-Marguerite" \
		--last "Ó Briain-Wolstenholme" &&
	COLUMNS=80 script -qc "stty cols 80; $AUPCTL user list" /dev/null >out &&
	tr -d "\r" <out | sed "s/\x1b\[[0-9;?]*[a-zA-Z]//g" >clean &&
	python3 -c "
import unicodedata,sys
for line in open(\"clean\", encoding=\"utf-8\"):
    w=sum(2 if unicodedata.east_asian_width(c) in \"WF\" else 1 for c in line.rstrip(\"\n\"))
    assert w<=80, (w, line)
" &&
	grep -q "…" clean
'

test_expect_success '--search longer than 256 characters is a usage error (64)' '
	long=$(printf "%0257d" 0) &&
	test_expect_code 64 aupctl user list --search "$long" >out 2>err &&
	test ! -s out &&
	grep "^aupctl: error: the search text is longer than 256 characters$" err &&
	aupctl user list --search "${long%0}" >out &&
	echo "no one matches" >expect &&
	test_cmp expect out
'

test_expect_success 'input echoed in an error stays on one line, escaped' '
	test_expect_code 64 aupctl user list --role "$(printf "x\nstaff\033[0m")" 2>err &&
	grep "^aupctl: error: unknown role .x\\\\nstaff\\\\x1b\[0m.$" err &&
	test_expect_code 67 aupctl user show "$(printf "a\rb")" 2>err &&
	grep "^aupctl: error: no such user: a\\\\rb$" err &&
	test $(wc -l <err) = 2
'

# lost_add HOW: user add --generate-password with the password lost as HOW
# says exits 74 and adds no one.
lost_add() {
	case $1 in
	full)	test_expect_code 74 aupctl user add --role staff --first Fay \
			--last Gee --username fay.gee --generate-password \
			>/dev/full 2>err ;;
	json)	test_expect_code 74 aupctl --format json user add --role staff \
			--first Fay --last Gee --username fay.gee \
			--generate-password >/dev/full 2>err ;;
	closed)	# (faketime itself cannot run with stdout closed)
		TEST_NOW= test_expect_code 74 aupctl user add --role staff \
			--first Fay --last Gee --username fay.gee \
			--generate-password >&- 2>err ;;
	pipe)	(set -o pipefail; aupctl user add --role staff --first Fay \
			--last Gee --username fay.gee --generate-password \
			2>err | true; test $? = 74) ;;
	esac &&
	grep "^aupctl: error: cannot write the new password to standard output: .*; nothing was changed$" err &&
	test_expect_code 67 aupctl user show fay.gee 2>/dev/null
}

test_expect_success 'a generated password that cannot be shown adds no one' '
	lost_add full && lost_add json && lost_add closed && lost_add pipe &&
	aupctl --format json user add --role staff --first Fay --last Gee \
		--username fay.gee --generate-password >out &&
	grep "\"password\": *\"[a-z-]*[0-9][0-9]\"" out &&
	aupctl user show fay.gee >/dev/null
'

test_expect_success 'blank names and hidden characters in names: 65' '
	aupctl --format csv user list >before &&
	for n in "   " "$(printf "\u00a0\u3000")" "$(printf "Ann\u200bie")" \
	    "$(printf "Ann\u200d")" "$(printf "\u2060Ann")" \
	    "$(printf "\ufeffAnn")" "$(printf "Ann\u200e")" \
	    "$(printf "Ann\u202eeil")" "$(printf "\u2066Ann\u2069")"
	do
		test_expect_code 65 aupctl user add --role staff --first "$n" \
			--last Bell --username ann.bell 2>err || return 1
		grep -E "^aupctl: error: the first name (is only white space|holds an invisible or direction-changing character \(U\+[0-9A-F]{4}\))$" err ||
			return 1
	done &&
	aupctl --format csv user list >after &&
	test_cmp before after &&
	test_expect_code 65 aupctl user edit fay.gee \
		--last "$(printf "Gee\u202e")" 2>err &&
	grep "the last name holds an invisible or direction-changing character (U+202E)" err &&
	aupctl user add --role staff --first "Ann Marie" --last Bell \
		--username ann.bell
'

test_done
