#!/bin/bash
# Import of the roll from MIS exports: every encoding and delimiter the
# samples come in, plan then apply, all or nothing, re-import a no-op,
# leavers and duplicates, and hostile files refused with nothing written.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"
S=$AUPCTL_SRCDIR/data/samples
# Hundreds of passwords are hashed here: at the cheapest cost, so that the
# file runs in seconds, and in minutes under valgrind.
printf "[argon2]\nt_cost = 1\nm_cost_kib = 64\n" >"$TRASH/cheap.ini"
export AUPCTL_CONFIG=$TRASH/cheap.ini

# people FILE: "username<TAB>first last<TAB>year<TAB>class" of everyone, sorted
people() {
	aupctl --format tsv --no-header user list |
		awk -F'\t' '{ print $2 "\t" $3 " " $4 "\t" $6 "\t" $8 }' |
		sort >"$1"
}

# dbsum: what the database holds, to show nothing was written
dbsum() {
	sqlite3 "$AUPCTL_DB" "SELECT count(*) FROM users; SELECT count(*) FROM audit_log;"
}

test_expect_success 'setup: a primary school' '
	aupctl init --school "Riverside Primary" --final-year 6 &&
	dbsum >empty
'

test_expect_success 'dry run plans everyone and writes nothing' '
	aupctl --format csv import pupils "$S/sims-primary.csv" --dry-run \
		--report dry.csv >plan.csv 2>err &&
	grep "UTF-8 with BOM, comma-separated): 254 rows: 254 new" err &&
	grep "dry run: nothing was changed" err &&
	test $(grep -c "^[0-9]*,new," plan.csv) = 254 &&
	grep -q ",class-logon," plan.csv &&
	dbsum >now && test_cmp empty now
'

test_expect_success 'a real run that makes passwords needs --slips' '
	test_expect_code 64 aupctl import pupils "$S/sims-primary.csv" 2>err &&
	grep "nowhere to put them" err && grep "hint: .*--slips" err &&
	dbsum >now && test_cmp empty now
'

test_expect_success 'the real run does what the dry run planned' '
	aupctl --format csv import pupils "$S/sims-primary.csv" \
		--slips slips.txt --report real.csv >plan2.csv 2>err &&
	test_cmp dry.csv real.csv &&
	test_cmp plan.csv plan2.csv &&
	grep "new passwords are in slips.txt" err
'

test_expect_success 'names arrive intact' '
	people all &&
	grep -P "\tZoë Okafor\t" all &&
	grep -P "\tSiân Hughes\t" all &&
	grep -P "\tŁukasz Kowalski\t" all &&
	grep -P "\tMinh Anh Nguyễn\t" all &&
	grep -P "\tChloé Martin\t" all &&
	grep -P "\tJosé García\t" all &&
	grep -P "Ó Briain\t" all &&
	grep -P "O’Neill\t" all &&
	grep -P "\tLily Mae " all &&
	grep -P "\tAmelia " all &&
	grep -P " Patel\t" all &&
	grep -P "Alexander \"Sandy\" " all &&
	grep -P " Da Silva\t" all
'

test_expect_success 'preferred names are shown, legal names kept beside them' '
	aupctl user show mis:A999241721350 >show &&
	grep "^first  *Seun$" show && grep "^legal_first  *Oluwaseun$" show &&
	grep "^last  *Adeyemi$" show && ! grep "^legal_last  *." show &&
	aupctl user show mis:K999241719206 >show &&
	grep "^last  *Brown$" show && grep "^legal_last  *Kowalczyk$" show &&
	aupctl --format csv user list --search oluwaseun >found &&
	grep ",Seun,Adeyemi," found &&
	aupctl user export mis:K999241719206 | grep "\"legal_last\":\"Kowalczyk\""
'

test_expect_success 'usernames are ASCII, at most 20 characters, unique' '
	cut -f1 all >names &&
	! grep -v "^[a-z0-9._-]*$" names &&
	! awk "length > 20" names | grep . &&
	sort names | uniq -d >dups && test ! -s dups &&
	grep -P "^\d\dmnguyen\t" all &&
	grep -P "^\d\dzokafor\t" all &&
	grep -P "^\d\dlkowalski\t" all
'

test_expect_success 'slips are 0600 and hold every new password once' '
	test "$(stat -c %a slips.txt)" = 600 &&
	grep -c "Password:" slips.txt >n &&
	test $(cat n) = $(sqlite3 "$AUPCTL_DB" \
		"SELECT count(*) FROM users WHERE pw_hash IS NOT NULL") &&
	passwords=$(grep "Password:" slips.txt | sort | uniq -d | wc -l) &&
	test "$passwords" = 0
'

test_expect_success 'slips come grouped by class, sorted by name, to sign' '
	sed -n "s/^  Name: .*(Year [^,]*, \(.*\))$/\1/p" slips.txt >classes &&
	test $(wc -l <classes) -gt 100 &&
	LC_ALL=C sort -c classes &&
	test $(grep -c "Received (signature): ___" slips.txt) = \
		$(grep -c "Password:" slips.txt) &&
	# Within a class, in the order of the list: by last name, folded.
	awk "/^  Name: .*, 5T\\)$/ { on = 1; next }
		on && /^  Username:/ { print \$2; on = 0 }" slips.txt >in5t &&
	test $(wc -l <in5t) -gt 5 &&
	aupctl --format csv user list --class 5T --role pupil |
		sed 1d | cut -d, -f2 >list5t &&
	test_cmp list5t in5t
'

test_expect_success 'the youngest have no password and a class logon each' '
	sqlite3 "$AUPCTL_DB" "SELECT count(*) FROM users
		WHERE role = '\''pupil'\'' AND year_group < 3
		AND pw_hash IS NOT NULL" >n && test "$(cat n)" = 0 &&
	sqlite3 "$AUPCTL_DB" "SELECT DISTINCT class FROM users
		WHERE role = '\''pupil'\'' AND year_group < 3 ORDER BY 1" >young &&
	sqlite3 "$AUPCTL_DB" "SELECT class FROM users
		WHERE role = '\''class'\'' ORDER BY 1" >logons &&
	test_cmp young logons
'

test_expect_success 're-import of the same file changes nothing and says so' '
	dbsum >before &&
	aupctl import pupils "$S/sims-primary.csv" --report again.csv \
		>out 2>err &&
	grep "254 unchanged" err &&
	grep "nothing to change" err &&
	dbsum >after && test_cmp before after &&
	test $(grep -c ",unchanged," again.csv) = 254
'

test_expect_success 'the other encodings and delimiters give the same people' '
	for f in sims-primary-semicolon.csv sims-primary-utf16.txt \
		sims-primary-1252.csv
	do
		AUPCTL_DB=$f.db aupctl -q init --school R --final-year 6 &&
		AUPCTL_DB=$f.db aupctl import pupils "$S/$f" --slips $f.slips \
			2>$f.err >/dev/null &&
		AUPCTL_DB=$f.db people $f.people || return 1
	done &&
	grep "semicolon-separated" sims-primary-semicolon.csv.err &&
	grep "UTF-16LE, tab-separated" sims-primary-utf16.txt.err &&
	grep "Windows-1252, comma-separated" sims-primary-1252.csv.err &&
	test_cmp all sims-primary-semicolon.csv.people &&
	test_cmp all sims-primary-utf16.txt.people &&
	# The 1252 file spells two names without the letters it lacks.
	diff all sims-primary-1252.csv.people | grep "^>" >changed &&
	test_line_count = 2 changed &&
	grep "Lukasz Kowalski" changed && grep "Minh Anh Nguyen" changed
'

test_expect_success '--encoding forces one; bytes not in it are placed' '
	AUPCTL_DB=sims-primary-1252.csv.db aupctl import pupils \
		"$S/sims-primary-1252.csv" --encoding windows-1252 --dry-run \
		2>err >/dev/null &&
	grep "Windows-1252, comma-separated): 254 rows: 0 new.*254 unchanged" err &&
	test_expect_code 65 aupctl import pupils "$S/sims-primary-1252.csv" \
		--encoding utf-8 --dry-run 2>err &&
	grep "sims-primary-1252.csv:[0-9]*:[0-9]*: .*UTF-8" err &&
	test_expect_code 64 aupctl import pupils "$S/sims-primary.csv" \
		--encoding ebcdic --dry-run 2>err &&
	grep "unknown encoding .ebcdic." err
'

test_expect_success 'a progress bar on a terminal, and none in a pipe' '
	script -qec "aupctl import staff $S/staff.csv --dry-run --jobs 2 \
		>/dev/null" /dev/null >tty.out &&
	! grep "passwords \[" tty.out &&
	AUPCTL_DB=bar.db aupctl -q init --school R &&
	AUPCTL_DB=bar.db script -qec "aupctl import staff $S/staff.csv \
		--slips bar.txt >/dev/null" /dev/null >tty.out &&
	grep "passwords \[#*" tty.out &&
	AUPCTL_DB=bar2.db aupctl -q init --school R &&
	AUPCTL_DB=bar2.db aupctl import staff "$S/staff.csv" --slips bar2.txt \
		>/dev/null 2>pipe.err &&
	! grep "passwords \[" pipe.err
'

test_expect_success 'an Arbor export of a secondary school' '
	AUPCTL_DB=sec.db aupctl -q init --school "Hill High" --final-year 13 &&
	AUPCTL_DB=sec.db aupctl import pupils "$S/arbor-secondary.csv" \
		--slips sec.csv 2>err >/dev/null &&
	grep "272 rows: 272 new, 0 class logons" err &&
	test "$(stat -c %a sec.csv)" = 600 &&
	test $(wc -l <sec.csv) = 273 &&
	head -1 sec.csv | grep "^username,name,class,password" &&
	AUPCTL_DB=sec.db aupctl --format csv user list --year 13 >y13 &&
	test $(sed 1d y13 | wc -l) = 34
'

test_expect_success 'a pupil with no UPN is matched by admission number' '
	line=$(sed -n 60p "$S/arbor-secondary.csv") &&
	adno=$(echo "$line" | cut -d, -f3) &&
	test -z "$(echo "$line" | cut -d, -f2)" &&
	AUPCTL_DB=sec.db aupctl user show "mis:$adno"
'

test_expect_success 'staff import' '
	aupctl import staff "$S/staff.csv" --slips staff.csv 2>err >/dev/null &&
	grep "44 rows: 44 new" err &&
	aupctl --format csv user list --role staff >staff.list &&
	test $(sed 1d staff.list | wc -l) = 44
'

# A copy of the primary export with two rows broken: a year past the
# school's last, and a surname left empty.
test_expect_success 'two bad rows: both named with line and column, nothing written' '
	awk -F, -v OFS=, "NR == 10 { \$7 = \"Year 9\" }
		NR == 20 { \$3 = \"\"; \$5 = \"\" } 1" \
		"$S/sims-primary.csv" >bad.csv &&
	AUPCTL_DB=bad.db aupctl -q init --school R --final-year 6 &&
	cp bad.db bad.before &&
	test_expect_code 65 env AUPCTL_DB=bad.db aupctl import pupils bad.csv \
		--slips bad.txt 2>err >/dev/null &&
	grep "^bad.csv:10:[0-9]*: year 9 is past the school.s final year, 6" err &&
	grep "^bad.csv:20:22: .*last name" err &&
	grep "2 of the 254 rows of bad.csv cannot be imported; nothing was imported" err &&
	test ! -e bad.txt &&
	cmp bad.db bad.before
'

test_expect_success '--skip-invalid imports the rest and lists the skipped' '
	AUPCTL_DB=bad.db aupctl import pupils bad.csv --skip-invalid \
		--slips skip.txt 2>err >/dev/null &&
	grep "^bad.csv:10:" err && grep "^bad.csv:20:" err &&
	grep "252 new" err && grep "2 invalid" err
'

test_expect_success 'the same MIS id twice names both lines' '
	{ sed -n 1,5p "$S/sims-primary.csv"; sed -n 3p "$S/sims-primary.csv"; } >twice.csv &&
	AUPCTL_DB=bad.db test_expect_code 65 aupctl import pupils twice.csv \
		--dry-run 2>err &&
	grep "^twice.csv:6:1: MIS id .* is also on line 3" err
'

test_expect_success 'three rows of one MIS id: each later one names the first' '
	{ sed -n 1,4p "$S/sims-primary.csv"; sed -n 3p "$S/sims-primary.csv";
	  sed -n 3p "$S/sims-primary.csv"; } >thrice.csv &&
	AUPCTL_DB=bad.db test_expect_code 65 aupctl import pupils thrice.csv \
		--dry-run 2>err &&
	grep "^thrice.csv:5:1: MIS id .* is also on line 3" err &&
	grep "^thrice.csv:6:1: MIS id .* is also on line 3" err &&
	grep "2 of the 5 rows" err
'

test_expect_success 'someone here by admission number is found when the file adds a UPN' '
	AUPCTL_DB=adno.db aupctl -q init --school R --final-year 6 &&
	AUPCTL_DB=adno.db aupctl -q user add --role pupil --first Ada --last Byron \
		--year 5 --class 5T --mis-id 004242 &&
	printf "UPN,Adno,Forename,Surname,Year,Reg\nA123456789012,004242,Ada,Byron,5,5T\n" >adno.csv &&
	AUPCTL_DB=adno.db aupctl --format csv import pupils adno.csv \
		--full-roll --dry-run >plan 2>err &&
	grep "0 new, .*1 unchanged, 0 probable duplicates, 0 probable leavers" err
'

test_expect_success 'a row refused while applying is listed with its line' '
	AUPCTL_DB=adno.db aupctl -q password reset mis:004242 >/dev/null &&
	printf "UPN,Adno,Forename,Surname,Year,Reg\nA123456789012,004242,Ada,Byron,1,1S\nB1,,Bo,Li,5,5T\n" >down.csv &&
	AUPCTL_DB=adno.db test_expect_code 65 aupctl import pupils down.csv \
		--dry-run 2>err &&
	grep "^down.csv:2:.*" err &&
	grep "1 of the 2 rows of down.csv cannot be imported" err
'

test_expect_success 'retiring the missing is refused for a file with no one in it' '
	head -1 "$S/sims-primary.csv" >nobody.csv &&
	dbsum >before &&
	test_expect_code 65 aupctl import pupils nobody.csv --full-roll \
		--retire-missing 2>err &&
	grep "would retire everyone" err &&
	dbsum >after && test_cmp before after
'

test_expect_success 'a missing column says what was looked for' '
	printf "Name,Year\nAmy Lee,5\n" >nocol.csv &&
	test_expect_code 65 aupctl import pupils nocol.csv 2>err &&
	grep "nocol.csv:1: no column for the first name: looked for Forename" err &&
	grep "hint: .*--map" err
'

test_expect_success '[import.NAME] maps headers aupctl does not know' '
	printf "Pupil ID,Given,Family,NCY,Group\nX1,Amy,Lee,5,5B\n" >mapped.csv &&
	cat >map.ini <<-\EOF &&
	[import.ours]
	first = Given
	last = Family
	year = NCY
	class = Group
	mis_id = Pupil ID
	EOF
	cat cheap.ini >>map.ini &&
	AUPCTL_DB=map.db aupctl -q init --school R --final-year 6 &&
	AUPCTL_DB=map.db aupctl --config map.ini import pupils mapped.csv \
		--map ours --slips map.txt 2>err >/dev/null &&
	AUPCTL_DB=map.db aupctl user show mis:X1 >show &&
	grep "^first  *Amy$" show && grep "^class  *5B$" show &&
	test_expect_code 64 env AUPCTL_DB=map.db aupctl --config map.ini \
		import pupils mapped.csv --map theirs --dry-run 2>err &&
	grep "no \[import.theirs\] section" err
'

test_expect_success 'a changed class and name are updates, field by field' '
	sed -e "30s/,\(N[12]\|R\|Year [0-9]\),\([A-Z0-9]*\),/,\1,ZZ,/" \
	    "$S/sims-primary.csv" >moved.csv &&
	aupctl --format csv import pupils moved.csv --dry-run >plan 2>err &&
	grep "1 updated, 253 unchanged" err &&
	grep "^30,update,.*,class,.*,ZZ," plan
'

# A pupil too young for a login of their own uses their class's logon:
# moved into a class that has none, they are given one with the move.
test_expect_success 'a young pupil moved into a new class brings its logon' '
	sed -e "78s/,Year 1,1S,/,Year 1,1Q,/" "$S/sims-primary.csv" >new1q.csv &&
	aupctl --format csv import pupils new1q.csv --dry-run >plan 2>err &&
	grep "0 new, 1 class logons, 1 updated, 253 unchanged" err &&
	aupctl import pupils new1q.csv --slips 1q.txt >/dev/null 2>err &&
	grep -c "Password:" 1q.txt >n && echo 1 >one && test_cmp one n &&
	aupctl --format csv --no-header user list --role class --class 1Q >logon &&
	test_line_count = 1 logon &&
	aupctl --format csv --no-header user list --role pupil --class 1Q >pupil &&
	test_line_count = 1 pupil &&
	aupctl import pupils new1q.csv >/dev/null 2>err &&
	grep "254 unchanged" err &&
	aupctl --format csv --no-header user list --role class --class 1Q >logon &&
	test_line_count = 1 logon
'

test_expect_success 'full roll: those missing are named, and retired on request' '
	sed -e 40d -e 41d "$S/sims-primary.csv" >less.csv &&
	aupctl --format csv import pupils less.csv --full-roll --dry-run \
		>plan 2>err &&
	grep "2 probable leavers" err &&
	test $(grep -c ",leaver," plan) = 2 &&
	dbsum >before &&
	aupctl import pupils less.csv --full-roll --retire-missing \
		>/dev/null 2>err &&
	test $(aupctl --format csv user list --status leaving | sed 1d | wc -l) = 2 &&
	test_expect_code 64 aupctl import pupils less.csv --retire-missing 2>err &&
	grep "needs --full-roll" err
'

test_expect_success 'a new row like someone here under another id is held back' '
	aupctl -q user add --role pupil --first Priyanka --last Zedd --year 4 \
		--class 4M --mis-id OLD1 &&
	printf "UPN,Forename,Surname,Year,Reg\nQ999,Priyanka,Zedd,4,4M\n" >dup.csv &&
	aupctl --format csv import pupils dup.csv --slips dup.txt >plan 2>err &&
	grep "^2,duplicate,,Q999,Priyanka Zedd,.*probably .*zedd (Priyanka Zedd, MIS id OLD1)" plan &&
	grep "1 probable duplicates" err &&
	grep "hint: .*user edit USER --mis-id" err &&
	test_expect_code 67 aupctl user show mis:Q999 &&
	test ! -e dup.txt
'

# Nothing purges yet: a retired name is put where the purge will put it.
test_expect_success 'a name someone held within reuse_days is not given again' '
	printf "UPN,Forename,Surname,Year,Reg\nR1,Ula,Vance,4,4M\nR2,Ula,Vane,4,4M\n" >ret.csv &&
	now=$(date -d "2026-11-23" +%s) &&
	sqlite3 "$AUPCTL_DB" "INSERT INTO retired_usernames VALUES
		('\''22uvance'\'', $now - 86400 * 100),
		('\''22uvane'\'', $now - 86400 * 400)" &&
	aupctl --format csv import pupils ret.csv --slips ret.txt >plan 2>err &&
	grep "^2,new,22uvance2,R1," plan &&
	grep "^3,new,22uvane,R2," plan &&
	printf "[import]\nreuse_days = 30\n" >reuse.ini &&
	cat cheap.ini >>reuse.ini &&
	printf "UPN,Forename,Surname,Year,Reg\nR3,Uma,Vance,4,4M\n" >ret2.csv &&
	aupctl --format csv import pupils ret2.csv --dry-run >plan 2>err &&
	grep "^2,new,22uvance3,R3," plan &&
	sqlite3 "$AUPCTL_DB" "DELETE FROM users WHERE username = '\''22uvance2'\''" &&
	aupctl --config reuse.ini --format csv import pupils ret2.csv \
		--dry-run >plan 2>err &&
	grep "^2,new,22uvance,R3," plan
'

test_expect_success 'hostile files: a clear error, the right code, nothing written' '
	dbsum >before &&
	head -c 4096 /dev/urandom >random.csv &&
	test_expect_code 65 aupctl import pupils random.csv --dry-run 2>err &&
	grep "random.csv" err &&
	printf "UPN,Forename,Surname,Year\nA1,Amy\0,Lee,5\n" >nul.csv &&
	test_expect_code 65 aupctl import pupils nul.csv --dry-run 2>err &&
	grep "nul.csv:2:" err &&
	: >empty.csv &&
	test_expect_code 65 aupctl import pupils empty.csv --dry-run 2>err &&
	grep "empty" err &&
	head -1 "$S/sims-primary.csv" >header.csv &&
	aupctl import pupils header.csv --dry-run 2>err &&
	grep "0 rows" err &&
	mkdir adir &&
	test_expect_code 65 aupctl import pupils adir --dry-run 2>err &&
	grep "directory" err &&
	test_expect_code 66 aupctl import pupils nosuch.csv --dry-run 2>err &&
	{ printf "UPN,Forename,Surname,Year\nA1,"; head -c 1048576 /dev/zero | tr "\0" a; printf ",Lee,5\n"; } >big.csv &&
	test_expect_code 65 aupctl import pupils big.csv --dry-run 2>err &&
	grep "big.csv:2:4: .*64 KiB" err &&
	dbsum >after && test_cmp before after
'

# However late the kill, the database holds all of the import or none, and
# the slips are whole or absent, never missing for passwords saved.
test_expect_success 'a kill at any moment leaves none of the import or all' '
	awk "BEGIN { print \"UPN,Forename,Surname,Year,Reg\"
		for (i = 1; i <= 3000; i++)
			printf \"K%06d,Kim,Ray%d,%d,%dK\\n\", i, i, 3 + i % 4, 3 + i % 4 }" \
		>kill.csv &&
	for t in 0.05 0.3 0.6 0.9 1.2 2.5 5; do
		rm -f kill.db* slips-k.csv &&
		AUPCTL_DB=kill.db aupctl -q init --school R --final-year 6 &&
		{ AUPCTL_DB=kill.db timeout -s KILL $t aupctl -q import pupils \
			kill.csv --slips slips-k.csv >/dev/null 2>&1 || :; } &&
		n=$(sqlite3 kill.db "SELECT count(*) FROM users") &&
		say "killed after $t s: $n people" &&
		{ test "$n" = 0 || test "$n" = 3000; } &&
		# Slips are whole or absent, and there whenever the
		# passwords are. (Killed in the moment between the slips
		# reaching the disk and the commit, they outlive the
		# passwords: see slip.h.)
		{ test ! -e slips-k.csv ||
		  test $(wc -l <slips-k.csv) = 3001; } &&
		{ test "$n" = 0 || test -e slips-k.csv; } &&
		AUPCTL_DB=kill.db aupctl -q log --verify || return 1
	done
'

test_expect_success 'SQL in a name is only a name' '
	printf "UPN,Forename,Surname,Year,Reg\nS1,Robert'"'"'); DROP TABLE users;--,Tables,5,5T\n" >sql.csv &&
	aupctl import pupils sql.csv --slips sql.txt 2>err >/dev/null &&
	aupctl user show mis:S1 >show &&
	grep "DROP TABLE users" show
'

test_done
