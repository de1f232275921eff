#!/bin/bash
# The test library itself: a test whose prerequisite is missing is reported
# as skipped, never as passed; a failing body or cleanup is a failure; the
# cleanups of test_when_finished run whatever the body did. Each story is a
# small test script of its own, run here and judged by its TAP output.
TEST_LIB=$(cd "$(dirname "$0")" && pwd)/test-lib.sh
. "$TEST_LIB"

# Every cleanup and body below writes what it did here.
export LOG="$TRASH/log"

# sub NAME: run NAME.sh (a test script without its first and last lines)
# with its own trash folder; its TAP lines go to NAME.tap, its status to
# NAME.status.
sub() {
	{
		printf '. "%s"\n' "$TEST_LIB" &&
		cat "$TRASH/$1.sh" &&
		echo test_done
	} >"$1.run" &&
	mkdir -p "$1.tmp" &&
	TEST_TMP="$PWD/$1.tmp" bash "$1.run" >"$1.out" 2>"$1.err"
	echo $? >"$1.status"
	grep -v "^#" "$1.out" >"$1.tap"
}

cat >prereq.sh <<\EOF
test_lazy_prereq NEVER 'false'
test_set_prereq ALWAYS
test_expect_success NEVER 'needs never' 'echo never >>"$LOG"'
test_expect_success 'ALWAYS,!NEVER' 'needs always, not never' '
	echo always >>"$LOG"
'
test_expect_success '!ALWAYS' 'needs not always' 'echo not-always >>"$LOG"'
test_expect_success ALWAYS,NEVER,UNKNOWN 'needs two that are missing' '
	echo two >>"$LOG"
'
EOF

cat >lazy.sh <<\EOF
test_lazy_prereq COUNTED 'echo asked >>"$LOG"'
test_expect_success COUNTED 'first' 'true'
test_expect_success COUNTED 'second' 'true'
test_have_prereq COUNTED || exit 1
EOF

cat >fail.sh <<\EOF
test_expect_success 'a body that fails' 'false'
test_expect_success 'a body that passes' 'true'
test_expect_success 'return 1 ends the body' '
	return 1
	echo after-return >>"$LOG"
'
EOF

cat >finished.sh <<\EOF
test_expect_success 'cleanups run after the body, the latest first' '
	test_when_finished "echo first >>\"\$LOG\"" &&
	test_when_finished "echo second >>\"\$LOG\"" &&
	echo body >>"$LOG"
'
test_expect_success 'a failing body is still cleaned up' '
	test_when_finished "echo after-false >>\"\$LOG\"" &&
	false
'
test_expect_success 'exit in the body is still cleaned up' '
	test_when_finished "echo after-exit >>\"\$LOG\"" &&
	exit 3
'
test_expect_success 'a failing cleanup fails the test; the others still run' '
	test_when_finished "echo still-run >>\"\$LOG\"" &&
	test_when_finished "false" &&
	test_when_finished "echo run-first >>\"\$LOG\"" &&
	true
'
test_expect_success 'test_when_finished in a subshell of the body' '
	(test_when_finished "echo lost >>\"\$LOG\"") &&
	echo not-reached >>"$LOG"
'
EOF

cat >bug.sh <<\EOF
test_expect_success 'a title without a body'
test_expect_success 'never reached' 'true'
EOF

test_expect_success 'a missing prerequisite is a skip saying what is missing' '
	sub prereq &&
	cat >expect <<-\EOF &&
	ok 1 # skip needs never (missing NEVER)
	ok 2 - needs always, not never
	ok 3 # skip needs not always (missing !ALWAYS)
	ok 4 # skip needs two that are missing (missing NEVER,UNKNOWN)
	1..4
	EOF
	test_cmp expect prereq.tap &&
	grep "^# skipped 3 of 4$" prereq.out &&
	echo 0 >expect && test_cmp expect prereq.status &&
	# Only the test that had its prerequisites ran.
	echo always >expect && test_cmp expect "$LOG"
'

test_expect_success 'a lazy prerequisite is evaluated once' '
	rm -f "$LOG" &&
	sub lazy &&
	echo 0 >expect && test_cmp expect lazy.status &&
	echo asked >expect && test_cmp expect "$LOG"
'

test_expect_success 'a failing body is a failure, and the file fails' '
	rm -f "$LOG" &&
	sub fail &&
	cat >expect <<-\EOF &&
	not ok 1 - a body that fails
	ok 2 - a body that passes
	not ok 3 - return 1 ends the body
	1..3
	EOF
	test_cmp expect fail.tap &&
	grep "^# failed 2 of 3; trash kept in " fail.out &&
	echo 1 >expect && test_cmp expect fail.status &&
	test ! -e "$LOG"
'

test_expect_success 'test_when_finished cleans up whatever the body did' '
	rm -f "$LOG" &&
	sub finished &&
	cat >expect <<-\EOF &&
	ok 1 - cleanups run after the body, the latest first
	not ok 2 - a failing body is still cleaned up
	not ok 3 - exit in the body is still cleaned up
	not ok 4 - a failing cleanup fails the test; the others still run
	not ok 5 - test_when_finished in a subshell of the body
	1..5
	EOF
	test_cmp expect finished.tap &&
	cat >expect <<-\EOF &&
	body
	second
	first
	after-false
	after-exit
	run-first
	still-run
	EOF
	test_cmp expect "$LOG" &&
	grep "bug in the test script: test_when_finished" finished.out &&
	echo 1 >expect && test_cmp expect finished.status
'

test_expect_success 'a test without its body stops the script' '
	sub bug &&
	grep "^Bail out! bug in the test script" bug.tap &&
	! grep "never reached" bug.tap &&
	! grep "^0$" bug.status
'

test_expect_success 'ROOT and NOT_ROOT tell who runs the tests' '
	if [ "$(id -u)" = 0 ]; then
		test_have_prereq ROOT,!NOT_ROOT
	else
		test_have_prereq NOT_ROOT,!ROOT
	fi
'

test_expect_success 'a prerequisite of a tool follows the tool on PATH' '
	mkdir -p bin0 &&
	for t in bash mkdir rm date; do
		ln -s "$(command -v $t)" bin0/$t || return 1
	done &&
	(PATH="$PWD/bin0" && test_have_prereq !TMUX,!SQLITE3,!PAMTESTER,!FAKETIME) &&
	for t in tmux sqlite3 pamtester; do
		printf "#!/bin/sh\n" >bin0/$t && chmod +x bin0/$t || return 1
	done &&
	(PATH="$PWD/bin0" && test_have_prereq TMUX,SQLITE3,PAMTESTER,!FAKETIME)
'

test_done
