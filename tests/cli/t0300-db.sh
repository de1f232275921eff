#!/bin/bash
# The database file: private mode, WAL, no clear-text passwords, online
# backup, integrity check, busy database exit 75, forward migrations.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	aupctl init --school "Riverside Primary" &&
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Amy \
		--last Smith --password-stdin &&
	aupctl user add --role pupil --first Ben --last Ng --year 4 \
		--generate-password >slip.out
'

test_expect_success 'the database is 0600, WAL, STRICT, foreign keys' '
	test "$(stat -c %a "$AUPCTL_DB")" = 600 &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
assert c.execute(\"PRAGMA journal_mode\").fetchone()[0] == \"wal\"
sql = [r[0] for r in c.execute(\"SELECT sql FROM sqlite_master WHERE type=\x27table\x27 AND sql NOT LIKE \x27CREATE VIRTUAL%\x27 AND name NOT LIKE \x27users_fts_%\x27\")]
assert all(s.rstrip().endswith(\"STRICT\") for s in sql), sql
assert c.execute(\"PRAGMA user_version\").fetchone()[0] >= 1"
'

test_expect_success 'only Argon2id hashes are stored, never a password' '
	pw=$(sed -n "2s/.* //p" slip.out) &&
	test -n "$pw" &&
	! grep -a -e "maple-otter-cloud-42" -e "$pw" "$AUPCTL_DB"* &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
h=[r[0] for r in c.execute(\"SELECT pw_hash FROM users WHERE pw_hash IS NOT NULL\")]
assert len(h)==2 and all(x.startswith(\"\$argon2id\$v=19\$m=19456,t=2,p=1\$\") for x in h), h"
'

test_expect_success 'db check passes on a sound database' '
	aupctl db check >out &&
	grep "^integrity: *ok" out &&
	grep "^audit log: *ok (3 entries)" out
'

test_expect_success 'db backup copies online to a new 0600 file' '
	aupctl db backup "$TRASH/backup.db" &&
	test "$(stat -c %a backup.db)" = 600 &&
	aupctl --db "$TRASH/backup.db" --format csv user list >b.csv &&
	aupctl --format csv user list >a.csv &&
	test_cmp a.csv b.csv &&
	aupctl --db "$TRASH/backup.db" log --verify
'

test_expect_success 'db backup never overwrites (73)' '
	test_expect_code 73 aupctl db backup "$TRASH/backup.db" 2>err &&
	grep "never overwrites" err
'

test_expect_success 'db check finds a broken log chain (exit 1)' '
	cp backup.db broken.db &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"broken.db\")
c.execute(\"UPDATE audit_log SET operator=\x27x\x27 WHERE id=2\"); c.commit()" &&
	test_expect_code 1 aupctl --db "$TRASH/broken.db" db check >out &&
	grep "^audit log: *entry 2 was changed" out &&
	! grep "audit log:.*audit log:" out
'

test_expect_success 'a busy database waits, then exits 75 and changes nothing' '
	python3 -c "
import sqlite3, time, subprocess, os
c = sqlite3.connect(\"$AUPCTL_DB\", isolation_level=None)
c.execute(\"BEGIN IMMEDIATE\")
p = subprocess.run([\"aupctl\", \"user\", \"add\", \"--role\", \"staff\",
    \"--first\", \"Cy\", \"--last\", \"Day\"], capture_output=True, text=True)
c.execute(\"ROLLBACK\")
print(p.returncode); print(p.stderr)
" >out &&
	head -1 out | grep -x 75 &&
	grep "is busy" out &&
	grep "try again" out &&
	test_expect_code 67 aupctl user show cday
'

test_expect_success 'a file that is not a database is refused' '
	echo "not a database" >junk.db &&
	test_must_fail aupctl --db "$TRASH/junk.db" user list 2>err &&
	grep "not an aupctl database" err
'

test_expect_success 'a text file given as --db: not a database, check the path' '
	printf "[school]\nname = R\n" >school.ini &&
	test_expect_code 65 aupctl --db "$TRASH/school.ini" user list 2>err &&
	grep "^aupctl: error: .*school.ini is not an aupctl database$" err &&
	grep "^aupctl: hint: check the path" err &&
	! grep -e damaged -e backup err
'

test_expect_success 'a folder given as --db is named a folder' '
	mkdir dbdir &&
	test_expect_code 66 aupctl --db "$TRASH/dbdir" user list 2>err &&
	grep "dbdir is a folder, not a database file" err &&
	test_expect_code 73 aupctl --db "$TRASH/dbdir" init --school X 2>err &&
	grep "dbdir is a folder" err &&
	! grep "cannot write" err
'

test_expect_success 'no $HOME: the home folder from the password database' '
	home=$(getent passwd "$(id -un)" | cut -d: -f6) &&
	test_expect_code 66 env -u HOME -u XDG_DATA_HOME -u AUPCTL_DB \
		"$AUPCTL" user list 2>err &&
	grep "no database at $home/.local/share/aupctl/aupctl.db" err
'

test_expect_success ROOT 'a read by someone who cannot write the file: 77, who may' '
	cp backup.db ro.db &&
	chmod 0644 ro.db &&
	chmod 0755 "$TRASH" &&
	test_when_finished "chmod 0700 \"$TRASH\"" &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups env -u AUPCTL_DB \
		"$AUPCTL" --db "$TRASH/ro.db" user list 2>err;
	test $? = 77 &&
	grep "permission denied: cannot write to the database" err &&
	grep "only root may use it" err
'

test_expect_success 'a database from a newer aupctl is refused' '
	cp backup.db newer.db &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"newer.db\"); c.execute(\"PRAGMA user_version=999\")" &&
	test_expect_code 70 aupctl --db "$TRASH/newer.db" user list 2>err &&
	grep "newer aupctl" err
'

test_expect_success '[database] group makes the file 0660' '
	printf "[database]\ngroup = %s\n" "$(id -gn)" >group.ini &&
	aupctl --config "$TRASH/group.ini" --db "$TRASH/g.db" init --school G &&
	test "$(stat -c %a g.db)" = 660
'

test_expect_success '[database] group: the folders made for it reach the group' '
	printf "[database]\ngroup = %s\n" "$(id -gn)" >group.ini &&
	aupctl --config "$TRASH/group.ini" --db "$TRASH/shared/data/g.db" \
		init --school G &&
	test "$(stat -c "%a %G" shared)" = "750 $(id -gn)" &&
	test "$(stat -c "%a %G" shared/data)" = "2770 $(id -gn)" &&
	test "$(stat -c "%a %G" shared/data/g.db)" = "660 $(id -gn)" &&
	aupctl --db "$TRASH/new/folder/p.db" init --school P &&
	test "$(stat -c %a new)" = 700 &&
	test "$(stat -c %a new/folder)" = 700
'

test_expect_success '[database] group that does not exist: 78, nothing made' '
	printf "[database]\ngroup = no-such-group-here\n" >nogroup.ini &&
	test_expect_code 78 aupctl --config "$TRASH/nogroup.ini" \
		--db "$TRASH/ng/x.db" init --school G 2>err &&
	grep "no group .no-such-group-here." err &&
	test ! -e ng
'

test_expect_success NOT_ROOT 'a database behind a closed folder is 77, not "no database"' '
	mkdir closed &&
	aupctl --db "$TRASH/closed/c.db" init --school C &&
	chmod 0 closed &&
	test_when_finished "chmod 0700 \"$TRASH/closed\"" &&
	test_expect_code 77 aupctl --db "$TRASH/closed/c.db" user list 2>err &&
	grep "permission denied" err
'

# A member of the group who is nobody else: setpriv gives uid nobody the
# group "users" as its only group.
test_expect_success ROOT 'a member of [database] group reaches a new database' '
	gid=$(getent group users | cut -d: -f3) &&
	test -n "$gid" &&
	chmod 0711 "$TRASH" &&
	test_when_finished "chmod 0700 \"$TRASH\"" &&
	printf "[database]\ngroup = users\n" >users.ini &&
	aupctl --config "$TRASH/users.ini" --db "$TRASH/office/data/o.db" \
		init --school O &&
	aupctl --db "$TRASH/office/data/o.db" operator set nobody auditor &&
	setpriv --reuid=nobody --regid="$gid" --clear-groups env -u AUPCTL_DB \
		"$AUPCTL" --db "$TRASH/office/data/o.db" user list &&
	chmod 0700 office &&
	setpriv --reuid=nobody --regid="$gid" --clear-groups env -u AUPCTL_DB \
		"$AUPCTL" --db "$TRASH/office/data/o.db" user list 2>err;
	test $? = 77 &&
	grep "permission denied: cannot open the database" err
'

test_done
