#!/bin/bash
# Parents' consents and breaches of the agreement: a consent recorded,
# replaced with the log keeping both, unchanged said and not written,
# refused for staff; the lists the office needs on photo day; a breach
# recorded and listed, and one that suspends access until check --mark
# lifts it; who may record and who may only look.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"
PW=maple-otter-cloud-42
ERR_INACTIVE='ERR message="account not active; see the school office"'

test_expect_success 'setup: pupils in two classes, and a teacher' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	echo "$PW" | aupctl -q user add --role pupil --first Ann --last Bee \
		--year 5 --class 5B --mis-id P1 --password-stdin &&
	aupctl -q user add --role pupil --first Cal --last Dee --year 5 \
		--class 5B --mis-id P2 &&
	aupctl -q user add --role pupil --first Eve --last Fox --year 4 \
		--class 4A --mis-id P3 &&
	aupctl -q user add --role staff --first Sam --last Tee
'

test_expect_success 'a consent for a pupil is recorded for this year' '
	aupctl aup consent mis:P1 --images no --platforms yes \
		--signer "Mary Bee" --relationship parent >out &&
	grep "^recorded mis:P1.s consents for 2026-27: images no, platforms yes$" out &&
	aupctl --format csv --no-header aup consents >list &&
	grep -x "[^,]*,Ann,Bee,5,5B,2026-27,no,yes,Mary Bee,parent,.*" list
'

test_expect_success 'the same again says so and writes nothing' '
	n=$(aupctl --format csv --no-header log | wc -l) &&
	aupctl aup consent mis:P1 --images no --platforms yes \
		--signer "Mary Bee" --relationship parent >out &&
	grep "are as given already" out &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n"
'

test_expect_success 'recorded again, it replaces the first; the log has both' '
	aupctl aup consent mis:P1 --images yes --platforms yes \
		--signer "Tom Bee" --relationship carer &&
	aupctl --format csv --no-header aup consents >list &&
	grep -c ",Ann,Bee," list >count && echo 1 >one && test_cmp one count &&
	grep ",Ann,Bee,5,5B,2026-27,yes,yes,Tom Bee,carer," list &&
	aupctl --format json log --user mis:P1 >log &&
	grep "\"action\":\"aup.consent\",\"user\":\"[^\"]*\",\"before\":{\"academic_year\":\"2026-27\",\"images\":false,\"platforms\":true,\"signer\":\"Mary Bee\",\"relationship\":\"parent\",\"form\":\"parent-consent\",\"version\":1},\"after\":{\"academic_year\":\"2026-27\",\"images\":true,\"platforms\":true,\"signer\":\"Tom Bee\",\"relationship\":\"carer\",\"form\":\"parent-consent\",\"version\":1}" log &&
	aupctl aup show parent-consent --signed 1 >text &&
	test_cmp "$AUPCTL_DATADIR/forms/parent-consent.txt" text
'

test_expect_success 'consents are for pupils: refused for staff' '
	test_expect_code 65 aupctl aup consent stee --images yes \
		--platforms yes --signer "Mary Bee" --relationship parent 2>err &&
	grep "stee is staff, not a pupil" err
'

test_expect_success 'answers are yes or no, relationships parent or carer' '
	test_expect_code 64 aupctl aup consent mis:P2 --images maybe \
		--platforms yes --signer "Mary Dee" --relationship parent 2>err &&
	grep "images .maybe. is not yes or no" err &&
	test_expect_code 64 aupctl aup consent mis:P2 --images no \
		--platforms yes --signer "Mary Dee" --relationship aunt 2>err &&
	grep "not parent or carer" err &&
	test_expect_code 64 aupctl aup consent mis:P2 --images no \
		--platforms yes --signer "Mary Dee" 2>err &&
	aupctl --format csv --no-header aup consents --missing >list &&
	grep ",Cal,Dee," list
'

test_expect_success 'consents --images no lists exactly those who said no' '
	aupctl -q aup consent mis:P2 --images no --platforms no \
		--signer "Mary Dee" --relationship parent &&
	aupctl --format csv --no-header aup consents --images no >list &&
	cut -d, -f2,3 list >names &&
	echo Cal,Dee >expect && test_cmp expect names &&
	aupctl --format csv --no-header aup consents --platforms no >list &&
	cut -d, -f2,3 list >names && test_cmp expect names &&
	aupctl --format csv --no-header aup consents --images yes >list &&
	cut -d, -f2,3 list >names &&
	echo Ann,Bee >expect && test_cmp expect names
'

test_expect_success 'consents --missing lists the pupils with none, by class' '
	aupctl --format csv --no-header aup consents --missing >list &&
	cut -d, -f2,3 list >names &&
	echo Eve,Fox >expect && test_cmp expect names &&
	aupctl --format csv --no-header aup consents --class 5b >list &&
	cut -d, -f2,3 list >names &&
	printf "Ann,Bee\nCal,Dee\n" >expect && test_cmp expect names &&
	aupctl aup consents --class 4A --images no >out &&
	grep "^no one matches$" out &&
	test_expect_code 64 aupctl aup consents --missing --images no
'

test_expect_success 'the year defaults to the current one; --year names another' '
	at "2027-09-02 10:00:00" aupctl --format csv --no-header \
		aup consents --missing >list &&
	test_line_count = 3 list &&
	grep -c ",2027-28,,,,,$" list >count && echo 3 >three &&
	test_cmp three count &&
	at "2027-09-02 10:00:00" aupctl aup consent mis:P3 --images yes \
		--platforms yes --signer "Ed Fox" --relationship parent \
		--year 2026/27 >out &&
	grep "for 2026-27:" out &&
	aupctl --format csv --no-header aup consents --missing >list &&
	test_line_count = 0 list &&
	aupctl --format csv --no-header aup consents --year 2027-28 \
		--images yes >list &&
	test_line_count = 0 list &&
	test_expect_code 64 aupctl aup consents --year 27
'

test_expect_success 'a breach is recorded with operator and time, and listed' '
	aupctl aup breach mis:P2 --category A --note "played games in class" >out &&
	grep "^recorded breach 1 (category A) for mis:P2$" out &&
	aupctl --format csv --no-header aup breaches >list &&
	grep -x "1,2026-11-23T10:00:0[0-9]+00:00,[^,]*,Cal,Dee,A,played games in class,$(id -un)," list &&
	aupctl --format csv --no-header user show mis:P2 | grep -q ",active,,,"
'

test_expect_success 'a breach with --suspend-days 3 refuses auth until lifted' '
	echo "$(aupctl --format csv --no-header user show mis:P1 | cut -d, -f2) $PW" >req &&
	aupctl auth <req >out && echo OK >expect && test_cmp expect out &&
	# Half an hour after the first: each faketime starts its clock when
	# its process starts, so two breaches "at" one time may be a second
	# apart either way, and the list is newest first.
	at "2026-11-23 10:30:00" aupctl aup breach mis:P1 --category D \
		--note "shared a password" --suspend-days 3 >out &&
	grep "suspended for 3 days" out &&
	at "2026-11-23 10:31:00" aupctl auth <req >out &&
	echo "$ERR_INACTIVE" >expect && test_cmp expect out &&
	at "2026-11-25 10:00:00" aupctl auth <req >out && test_cmp expect out &&
	aupctl user show mis:P1 >show &&
	grep "^status_reason  *breach of the acceptable use agreement, category D (breach 2)$" show &&
	grep "^status_until  *2026-11-26 10:30:0[0-9]$" show &&
	test_expect_code 1 at "2026-11-27 10:00:00" aupctl check --mark >out &&
	grep "now lifted" out &&
	at "2026-11-27 10:00:00" aupctl auth <req >out &&
	echo OK >expect && test_cmp expect out
'

test_expect_success 'breaches are listed newest first, filtered' '
	aupctl --format csv --no-header aup breaches >list &&
	cut -d, -f1,6 list >got && printf "2,D\n1,A\n" >expect &&
	test_cmp expect got &&
	aupctl --format csv --no-header aup breaches --category d >list &&
	cut -d, -f1 list >got && echo 2 >expect && test_cmp expect got &&
	aupctl --format csv --no-header aup breaches --user mis:P2 >list &&
	cut -d, -f1 list >got && echo 1 >expect && test_cmp expect got &&
	aupctl aup breaches --since 2026-11-24 >out &&
	grep "^no breaches recorded that match$" out &&
	test_expect_code 64 aupctl aup breaches --category E &&
	test_expect_code 67 aupctl aup breaches --user nobody
'

test_expect_success 'a bad breach is refused and writes nothing' '
	n=$(aupctl --format csv --no-header log | wc -l) &&
	test_expect_code 64 aupctl aup breach mis:P2 --category E --note x &&
	test_expect_code 64 aupctl aup breach mis:P2 --category A --note x \
		--suspend-days 0 &&
	test_expect_code 65 aupctl aup breach mis:P2 --category A --note "" &&
	test_expect_code 67 aupctl aup breach nobody --category A --note x &&
	test "$(aupctl --format csv --no-header log | wc -l)" = "$n"
'

test_expect_success 'the log verifies and shows the entries about each pupil' '
	aupctl log --verify &&
	aupctl --format csv --no-header log --user mis:P1 >log &&
	test "$(grep -c ",aup.consent," log)" = 2 &&
	grep -q ",aup.breach," log && grep -q ",user.suspend," log &&
	grep -q ",user.reactivate," log &&
	aupctl --format csv --no-header log --user mis:P2 >log &&
	grep -q ",aup.breach," log && ! grep -q ",user.suspend," log
'

test_expect_success SQLITE3 'signers and notes are personal: kept beside the chain' '
	sqlite3 "$AUPCTL_DB" "SELECT after FROM audit_log
		WHERE action IN ('"'"'aup.consent'"'"', '"'"'aup.breach'"'"')" >entries &&
	! grep -e "Mary Bee" -e "Tom Bee" -e "shared a password" entries &&
	sqlite3 "$AUPCTL_DB" "SELECT value FROM audit_values
		WHERE name IN ('"'"'before.signer'"'"', '"'"'after.signer'"'"', '"'"'after.note'"'"')" >values &&
	grep -x "Mary Bee" values && grep -x "Tom Bee" values &&
	grep -x "shared a password" values
'

test_expect_success 'an office operator may record; an auditor may only look' '
	test_db_as office office.db &&
	test_db_as auditor auditor.db &&
	AUPCTL_DB=$PWD/office.db aupctl -q aup consent mis:P3 --images no \
		--platforms no --signer "Ed Fox" --relationship parent &&
	AUPCTL_DB=$PWD/office.db aupctl -q aup breach mis:P3 --category B \
		--note "rude message" &&
	test_expect_code 77 env AUPCTL_DB="$PWD/auditor.db" aupctl aup consent \
		mis:P3 --images no --platforms yes --signer "Ed Fox" \
		--relationship parent &&
	test_expect_code 77 env AUPCTL_DB="$PWD/auditor.db" aupctl aup breach \
		mis:P3 --category B --note x &&
	AUPCTL_DB=$PWD/auditor.db aupctl --format csv --no-header aup breaches >list &&
	test_line_count = 2 list &&
	AUPCTL_DB=$PWD/auditor.db aupctl aup consents >/dev/null
'


# Subject access: user export holds the consents, the breaches and the
# signatures beside the person, in JSON and in the tables for people.
test_expect_success 'user export: consents, breaches and signatures' '
	aupctl -q aup sign mis:P1 --signer "Tom Bee" --relationship carer &&
	aupctl --format json user export mis:P1 >out.json &&
	grep "\"consents\":\[{\"academic_year\":\"2026-27\",\"images\":true,\"platforms\":true,\"signer\":\"Tom Bee\",\"relationship\":\"carer\",\"form\":\"parent-consent\",\"version\":1," out.json &&
	grep "\"breaches\":\[{\"category\":\"D\",\"note\":\"shared a password\"," out.json &&
	grep "\"signatures\":\[{\"form\":\"pupil-ks2\",\"version\":1," out.json &&
	aupctl user export mis:P1 >out &&
	grep -A2 "^Parents.* consents for" out | grep "Tom Bee" &&
	grep -A2 "^Breaches of the agreement by" out | grep "shared a password" &&
	grep -A2 "^Agreements signed by or for" out | grep "pupil-ks2" &&
	aupctl user export stee >out &&
	grep -A1 "^Breaches of the agreement by" out | grep -x none
'

test_done
