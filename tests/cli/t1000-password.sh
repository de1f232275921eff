#!/bin/bash
# Passwords: strength rules with the reason said, history, set and reset,
# generated passphrases and slips; never in argv, never in clear.
. "$(dirname "$0")/test-lib.sh"
TEST_NOW="2026-11-23 10:00:00"

test_expect_success 'setup' '
	aupctl init --school "Riverside Primary" &&
	echo "maple-otter-cloud-42" | aupctl user add --role staff --first Zoë \
		--last "O'\''Neill" --password-stdin &&
	aupctl user add --role pupil --first Ben --last Ng --year 5 \
		--username ben.ng
'

# reject ROLE PASSWORD REASON: password check refuses with exit 1, and
# password set refuses with exit 65, each saying REASON.
reject() {
	printf "%s\n" "$2" | test_expect_code 1 aupctl password check --role "$1" >out &&
	grep -q "^rejected: .*$3" out &&
	printf "%s\n" "$2" | test_expect_code 65 aupctl password set zoneill \
		--password-stdin 2>err &&
	grep -q "password not accepted" err
}

test_expect_success 'weak passwords are refused with a reason' '
	reject pupil password1 "common or have been leaked" &&
	reject pupil 12345678 "common or have been leaked" &&
	reject pupil qwertyuiop "common or have been leaked" &&
	reject staff aaaaaaaaaaaa "same character" &&
	reject staff "football2026!" "common password with numbers" &&
	reject staff "riverside-school" "school" &&
	reject staff "tiger-zxcvb-moon" "keyboard" &&
	reject staff "moon-6789-tiger" "in order" &&
	reject staff short "too short: staff passwords need at least 12"
'

test_expect_success 'the username plus a year is refused for that user' '
	echo zoneill2026 | test_expect_code 1 aupctl password check --user zoneill >out &&
	grep "^rejected: it contains your username$" out &&
	echo zoneill2026 | test_expect_code 65 aupctl password set zoneill \
		--password-stdin 2>err &&
	grep "password not accepted: it contains your username" err
'

test_expect_success 'a good password is accepted (exit 0)' '
	echo "river-paper-swan-17" | aupctl password check --role staff >out &&
	echo accepted >expect &&
	test_cmp expect out
'

test_expect_success 'a password is never taken from argv' '
	test_expect_code 64 aupctl password set zoneill river-paper-swan-17 2>err &&
	test_expect_code 64 aupctl user add --role staff --first A --last B \
		--password secret123456 2>err &&
	grep "unknown option --password" err &&
	test_expect_code 64 aupctl user add --role staff --first A --last B \
		--password=secret123456 2>err &&
	grep "unknown option --password for" err &&
	test_expect_code 64 aupctl --password=secret123456 user list 2>err &&
	! grep secret123456 err
'

test_expect_success 'without a terminal or --password-stdin, set refuses' '
	test_expect_code 64 setsid aupctl password set zoneill </dev/null 2>err &&
	grep "no terminal" err
'

test_expect_success 'password set asks twice on a terminal, echo off' '
	python3 - <<-\PY
	import os, pty, signal
	signal.alarm(120)   # a lost keystroke fails the test, never hangs it
	pid, fd = pty.fork()
	if pid == 0:
	    os.execlp("aupctl", "aupctl", "password", "set", "zoneill")
	out = b""
	def expect(s):
	    global out
	    while s not in out:
	        out += os.read(fd, 1024)
	expect(b"New password: ")
	os.write(fd, b"river-paper-swan-17\n")
	expect(b"Again: ")
	os.write(fd, b"river-paper-swan-17\n")
	while True:
	    try:
	        c = os.read(fd, 1024)
	    except OSError:
	        break
	    if not c:
	        break
	    out += c
	_, st = os.waitpid(pid, 0)
	assert os.WEXITSTATUS(st) == 0, out
	assert b"river-paper" not in out, out
	assert b"password of zoneill changed" in out, out
	PY
'

test_expect_success 'Ctrl-C at the prompt ends it with the echo back on' '
	python3 - <<-\PY
	import os, pty, signal, termios
	signal.alarm(120)
	pid, fd = pty.fork()
	if pid == 0:
	    os.execlp("aupctl", "aupctl", "password", "set", "zoneill")
	out = b""
	while b"New password: " not in out:
	    out += os.read(fd, 1024)
	os.write(fd, b"half-typed\x03")
	_, st = os.waitpid(pid, 0)
	assert os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGINT, st
	assert termios.tcgetattr(fd)[3] & termios.ECHO, "echo left off"
	PY
'

test_expect_success 'A then B then A is refused (history)' '
	echo "maple-otter-cloud-42" | test_expect_code 65 aupctl password set \
		zoneill --password-stdin 2>err &&
	grep "one of the last 5 passwords" err
'

test_expect_success 'password check does not tell a current password' '
	echo "river-paper-swan-17" | aupctl password check --user zoneill >a &&
	echo "lemon-harbour-kite-31" | aupctl password check --user zoneill >b &&
	test_cmp a b
'

test_expect_success 'the database holds only Argon2id PHC strings' '
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
rows=[r[0] for r in c.execute(\"SELECT pw_hash FROM users WHERE pw_hash IS NOT NULL UNION ALL SELECT hash FROM pw_history\")]
assert rows and all(r.startswith(\"\$argon2id\$v=19\$\") for r in rows), rows" &&
	! grep -a -e maple-otter -e river-paper "$AUPCTL_DB"*
'

test_expect_success 'reset makes a passphrase that passes policy, must change' '
	aupctl password reset ben.ng >out &&
	pw=$(sed -n "2s/.* //p" out) &&
	echo "$pw" | grep -E "^[a-z]+(-[a-z]+){2,}-[0-9]{2}$" &&
	echo "$pw" | aupctl password check --role pupil &&
	aupctl --format csv user show ben.ng | grep -q ",true,0," &&
	echo "ben.ng $pw" | aupctl auth >auth.out &&
	echo OK >expect && test_cmp expect auth.out
'

test_expect_success 'reset to a slip file: mode 0600, password not printed' '
	aupctl password reset zoneill --slip slip.txt >out &&
	test "$(stat -c %a slip.txt)" = 600 &&
	grep "^  Username:  zoneill$" slip.txt &&
	grep "^  Name:      Zoë O'\''Neill$" slip.txt &&
	pw=$(sed -n "s/^  Password:  //p" slip.txt) &&
	test -n "$pw" &&
	! grep -F "$pw" out &&
	echo "zoneill $pw" | aupctl auth >auth.out &&
	echo OK >expect && test_cmp expect auth.out
'

test_expect_success 'a slip never overwrites a file, and nothing changes' '
	before=$(aupctl --format csv log | wc -l) &&
	test_expect_code 73 aupctl password reset zoneill --slip slip.txt 2>err &&
	grep "never written over" err &&
	test "$(aupctl --format csv log | wc -l)" = "$before"
'

test_expect_success 'user add --generate-password --slip' '
	aupctl user add --role pupil --first Cy --last Day --year 6 \
		--generate-password --slip cy.txt >out &&
	grep "login slip for 20cday written to cy.txt" out &&
	grep "Year 6" cy.txt &&
	test "$(stat -c %a cy.txt)" = 600
'

test_expect_success 'class logons: KS1 pupils have no password of their own' '
	aupctl user add --role pupil --first Dot --last Eve --year 1 &&
	test_expect_code 65 aupctl password reset 25deve 2>err &&
	grep "class logon" err &&
	aupctl user add --role class --first Class --last 1K --year 1 \
		--class 1K --generate-password >out &&
	grep "^class1k  *Class 1K  *1K  *[a-z-]*[0-9][0-9]$" out
'

test_expect_success 'a changed Argon2 cost re-hashes at the next login' '
	printf "[argon2]\nm_cost_kib = 8192\nt_cost = 3\n" >cost.ini &&
	aupctl password reset zoneill >out &&
	pw=$(sed -n "2s/.* //p" out) &&
	echo "zoneill $pw" | aupctl --config cost.ini auth >auth.out &&
	echo OK >expect && test_cmp expect auth.out &&
	python3 -c "
import sqlite3; c=sqlite3.connect(\"$AUPCTL_DB\")
h=c.execute(\"SELECT pw_hash FROM users WHERE username=\x27zoneill\x27\").fetchone()[0]
assert h.startswith(\"\$argon2id\$v=19\$m=8192,t=3,p=1\$\"), h" &&
	echo "zoneill $pw" | aupctl --config cost.ini auth >auth.out &&
	test_cmp expect auth.out &&
	aupctl --format csv log --user zoneill | grep -q password.rehash
'

test_expect_success 'a password changed while a login re-hashes stays changed' '
	# The login reads the old hash, verifies it and makes a re-hash
	# at the new cost while this script holds the write lock; the
	# script then changes the password (to 20cday'\''s hash, as Python
	# cannot make one) and lets go. The login must not put the old
	# password back, and must answer ERR.
	echo "hazel-comet-river-58" | aupctl password set 20cday --password-stdin &&
	aupctl password reset zoneill >out &&
	old=$(sed -n "2s/.* //p" out) &&
	OLD=$old python3 - <<-\PY
	import os, sqlite3, subprocess, time
	db = sqlite3.connect(os.environ["AUPCTL_DB"], isolation_level=None)
	new = db.execute("SELECT pw_hash FROM users WHERE username = ?",
	    ("20cday",)).fetchone()[0]
	db.execute("BEGIN IMMEDIATE")
	login = subprocess.Popen(["aupctl", "--config", "cost.ini", "auth"],
	    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
	login.stdin.write(("zoneill %s\n" % os.environ["OLD"]).encode())
	login.stdin.close()
	time.sleep(2)	# the login reads and re-hashes, then waits for the lock
	db.execute("UPDATE users SET pw_hash = ? WHERE username = ?",
	    (new, "zoneill"))
	db.execute("COMMIT")
	out = login.stdout.read()
	assert login.wait() == 0
	assert out == b"ERR message=\"wrong username or password\"\n", out
	stored = db.execute("SELECT pw_hash FROM users WHERE username = ?",
	    ("zoneill",)).fetchone()[0]
	assert stored == new, stored
	PY
	echo "zoneill hazel-comet-river-58" | aupctl auth >new.out &&
	echo OK >expect && test_cmp expect new.out
'

test_expect_success 'a pupil moved to KS1 while a password is hashed gets none' '
	aupctl user add --role pupil --first Tom --last Rook --year 4 \
		--username tom.rook &&
	python3 - <<-\PY
	import os, sqlite3, subprocess, time
	db = sqlite3.connect(os.environ["AUPCTL_DB"], isolation_level=None)
	db.execute("BEGIN IMMEDIATE")
	setter = subprocess.Popen(["aupctl", "password", "set", "tom.rook",
	    "--password-stdin"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
	setter.stdin.write(b"walnut-cedar-fjord-73\n")
	setter.stdin.close()
	time.sleep(2)	# checked and hashed; now waiting for the lock
	db.execute("UPDATE users SET year_group = 1 WHERE username = ?",
	    ("tom.rook",))
	db.execute("COMMIT")
	err = setter.stderr.read()
	assert setter.wait() == 65, err
	assert b"class logon" in err, err
	row = db.execute("SELECT pw_hash FROM users WHERE username = ?",
	    ("tom.rook",)).fetchone()
	assert row[0] is None, row
	PY
'

# lost_reset HOW: password reset of zoneill, with its output lost as HOW
# says, exits 74 and changes nothing: the password set below still logs
# in, no must_change, no new log entry.
lost_reset() {
	before=$(aupctl --format csv log | wc -l) &&
	case $1 in
	full)	test_expect_code 74 aupctl password reset zoneill \
			>/dev/full 2>err ;;
	json)	test_expect_code 74 aupctl --format json password reset \
			zoneill >/dev/full 2>err ;;
	closed)	# (faketime itself cannot run with stdout closed)
		TEST_NOW= test_expect_code 74 aupctl password reset zoneill \
			>&- 2>err ;;
	pipe)	{ aupctl password reset zoneill 2>err; echo $? >rc; } | true &&
		test "$(cat rc)" = 74 ;;
	esac &&
	grep "^aupctl: error: cannot write the new password to standard output: .*; nothing was changed$" err &&
	test "$(aupctl --format csv log | wc -l)" = "$before" &&
	aupctl --format csv user show zoneill | grep -q ",false,0," &&
	echo "zoneill cedar-lantern-brook-38" | aupctl auth >auth.out &&
	echo OK >expect && test_cmp expect auth.out
}

test_expect_success 'reset to a full disk exits 74 and changes nothing' '
	echo "cedar-lantern-brook-38" | aupctl password set zoneill \
		--password-stdin &&
	lost_reset full && lost_reset json
'

test_expect_success 'reset to a closed standard output changes nothing' '
	lost_reset closed
'

test_expect_success 'reset into a closed pipe changes nothing (no SIGPIPE)' '
	lost_reset pipe &&
	(set -o pipefail; aupctl password reset zoneill 2>/dev/null | true;
	 test $? = 74)
'

test_done
