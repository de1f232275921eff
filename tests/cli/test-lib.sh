# A small test library in the style of git's t/test-lib.sh: each test file
# is a story of test_expect_success blocks run against a fresh database in
# its own trash directory, reporting TAP. A test that needs root or a tool
# names it as a prerequisite and is reported as skipped without it
# (test_expect_success ROOT,PAMTESTER 'title' 'body'); test_when_finished
# registers a cleanup that runs whatever the body did.
#
# Environment: AUPCTL (the binary), AUPCTL_DATADIR (the data folder),
# TEST_TMP (where trash directories go; default: /tmp), AUPCTL_WRAPPER (a
# command to run aupctl under, such as valgrind).

set -u
: "${AUPCTL:?AUPCTL must name the aupctl binary}"
: "${AUPCTL_DATADIR:?AUPCTL_DATADIR must name the data folder}"

test_count=0
test_failed=0
test_skipped=0
test_name=$(basename "$0" .sh)
TRASH=$(mktemp -d "${TEST_TMP:-/tmp}/aupctl-$test_name.XXXXXX")
export HOME="$TRASH/home" XDG_DATA_HOME="$TRASH/home/.local/share"
export AUPCTL_DB="$TRASH/school.db" AUPCTL_CONFIG= TZ=UTC LC_ALL=C.UTF-8
unset SUDO_USER
mkdir -p "$HOME" "$TRASH/bin"
# On PATH too, so faketime and pipes can run it by name. AUPCTL_WRAPPER
# (say, valgrind) runs around every invocation.
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${AUPCTL_WRAPPER:-}" "$AUPCTL" \
	>"$TRASH/bin/aupctl"
chmod +x "$TRASH/bin/aupctl"
export PATH="$TRASH/bin:$PATH"
# libfaketime cannot come before the sanitizer runtime in the link order.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=1"
cd "$TRASH" || exit 1

# With TEST_NOW set (faketime's format), every aupctl runs at that moment,
# so a test file's output does not depend on the day it runs.
aupctl() {
	if [ -n "${TEST_NOW:-}" ]; then
		faketime "$TEST_NOW" "$TRASH/bin/aupctl" "$@"
	else
		"$TRASH/bin/aupctl" "$@"
	fi
}

# test_db_as ROLE FILE: a copy of the test's database in FILE in which the
# login running the tests has operator role ROLE, and a stand-in admin
# (boss) keeps the roles changeable; run aupctl on it with AUPCTL_DB=FILE.
test_db_as() {
	cp "$AUPCTL_DB" "$2" &&
	AUPCTL_DB=$2 aupctl -q operator set boss admin &&
	AUPCTL_DB=$2 aupctl -q operator set "$(id -un)" "$1"
}

say() {
	printf '# %s\n' "$*"
}

# Prerequisites, as in git: a test that needs something this machine may
# not have names it, and is reported as skipped (TAP "ok N # skip"), never
# as passed, when it is missing.
#
#   test_set_prereq NAME		NAME holds from now on
#   test_lazy_prereq NAME 'script'	NAME holds if the script succeeds; it is
#					run once, the first time NAME is asked
#   test_have_prereq A,!B		all of them hold (!B: B does not)
#
# The missing ones of the last test_have_prereq are in $missing_prereq.
satisfied_prereq=" "
lazily_tested_prereq=" "

test_set_prereq() {
	case $1 in
	!*) test_bug_ "test_set_prereq $1: cannot set a negation" ;;
	esac
	satisfied_prereq="$satisfied_prereq$1 "
}

test_lazy_prereq() {
	[ $# = 2 ] || test_bug_ "test_lazy_prereq needs NAME and a script"
	eval "test_prereq_script_$1=\$2"
}

# Run NAME's lazy script once, in a subshell in a scratch folder, its output
# kept out of the TAP stream.
test_eval_lazy_prereq_() {
	case $lazily_tested_prereq in
	*" $1 "*) return ;;
	esac
	lazily_tested_prereq="$lazily_tested_prereq$1 "
	local script
	eval "script=\${test_prereq_script_$1-}"
	[ -n "$script" ] || return
	mkdir -p "$TRASH/prereq-$1"
	if (cd "$TRASH/prereq-$1" && eval "$script") \
	    >"$TRASH/prereq-$1.out" 2>&1 </dev/null; then
		test_set_prereq "$1"
	fi
	rm -rf "$TRASH/prereq-$1"
}

test_have_prereq() {
	local p want have
	missing_prereq=
	for p in ${1//,/ }; do
		want=${p#!}
		case $want in
		""|*[!A-Z0-9_]*) test_bug_ "bad prerequisite name '$p'" ;;
		esac
		test_eval_lazy_prereq_ "$want"
		case $satisfied_prereq in
		*" $want "*) have=yes ;;
		*) have=no ;;
		esac
		case $p in
		!*) [ "$have" = no ] && have=yes || have=no ;;
		esac
		if [ "$have" = no ]; then
			missing_prereq="${missing_prereq:+$missing_prereq,}$p"
		fi
	done
	[ -z "$missing_prereq" ]
}

test_lazy_prereq ROOT '[ "$(id -u)" = 0 ]'
test_lazy_prereq NOT_ROOT '[ "$(id -u)" != 0 ]'
# faketime installed and really moving the clock.
test_lazy_prereq FAKETIME '
	[ "$(faketime "2031-02-03 04:05:06" date -u +%Y)" = 2031 ]
'
test_lazy_prereq PAMTESTER 'command -v pamtester'
# pam_exec.so where PAM looks, and a /etc/pam.d to put a service file in.
test_lazy_prereq PAM_EXEC '
	[ -d /etc/pam.d ] &&
	for so in /lib/*/security/pam_exec.so /usr/lib/*/security/pam_exec.so \
	    /lib/security/pam_exec.so /lib64/security/pam_exec.so \
	    /usr/lib/security/pam_exec.so /usr/lib64/security/pam_exec.so; do
		[ -f "$so" ] && exit 0
	done
	exit 1
'
test_lazy_prereq TMUX 'command -v tmux'
test_lazy_prereq SQLITE3 'command -v sqlite3'
# Every aupctl runs under valgrind (scripts/test's valgrind run); a test
# that times aupctl, or leaves a signal to it, can ask for !VALGRIND.
test_lazy_prereq VALGRIND '
	case ${AUPCTL_WRAPPER:-} in
	*valgrind*) exit 0 ;;
	esac
	exit 1
'

# A mistake in the test script itself: stop, and tell the TAP reader; in a
# test body, fail that test saying why.
test_bug_() {
	if [ "$BASH_SUBSHELL" = 0 ]; then
		printf 'Bail out! bug in the test script: %s\n' "$*"
	else
		printf 'bug in the test script: %s\n' "$*" >&2
	fi
	exit 1
}

# test_expect_success [PREREQ] TITLE BODY: run BODY in a subshell of its
# own; the test passes if it exits 0 and every test_when_finished cleanup
# it registered does too. With PREREQ missing, it is skipped.
test_expect_success() {
	case $# in
	2) prereq= ;;
	3) prereq=$1; shift ;;
	*) test_bug_ "test_expect_success needs [PREREQ] TITLE BODY" ;;
	esac
	test_count=$((test_count + 1))
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		test_skipped=$((test_skipped + 1))
		printf 'ok %d # skip %s (missing %s)\n' "$test_count" "$1" \
		    "$missing_prereq"
		return 0
	fi
	if (test_run_ "$2") >"$TRASH/out.$test_count" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		sed 's/^/#   /' "$TRASH/out.$test_count"
		printf '#   in:%s\n' "$(printf '%s' "$2" | sed 's/^/#     /')"
	fi
}

# In the test's subshell: the body runs inside a function (so "return 1"
# ends it) and the cleanups run on the way out, even after "exit".
test_run_() {
	test_cleanup=:
	test_body_level_=$BASH_SUBSHELL
	trap 'test_finish_ $?' EXIT
	test_eval_body_ "$1"
}

test_eval_body_() {
	eval "$1"
}

test_finish_() {
	eval_ret=$1
	trap - EXIT
	test_body_level_=
	eval "$test_cleanup"
	exit "$eval_ret"
}

# test_when_finished 'command': run it when this test ends, whatever the
# body's result; the latest registered runs first, and a cleanup that fails
# fails the test. Only in a test body, not a subshell within it.
test_when_finished() {
	[ "${test_body_level_:-}" = "$BASH_SUBSHELL" ] ||
		test_bug_ "test_when_finished outside a test body, or in a subshell of one"
	test_cleanup="{ $*
	} && (exit \"\$eval_ret\"); eval_ret=\$?; $test_cleanup"
}

# test_skip TITLE REASON: report a test as skipped, saying why.
test_skip() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	printf 'ok %d # skip %s (%s)\n' "$test_count" "$1" "$2"
}

# test_expect_code N command...: the command must exit with code N.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# The command must fail (non-zero, not a crash or a sanitizer abort).
test_must_fail() {
	"$@"
	got=$?
	if [ "$got" = 0 ]; then
		echo "expected failure: $*" >&2
		return 1
	fi
	if [ "$got" -gt 128 ]; then
		echo "died of a signal ($got): $*" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_line_count = N FILE
test_line_count() {
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		echo "expected $1 $2 lines in $3, found $n:" >&2
		cat "$3" >&2
		return 1
	fi
}

# Run with the clock moved: at DATE (faketime's format, "2027-01-01 10:00:00").
at() {
	when=$1
	shift
	faketime "$when" "$@"
}

test_done() {
	printf '1..%d\n' "$test_count"
	if [ "$test_skipped" != 0 ]; then
		echo "# skipped $test_skipped of $test_count"
	fi
	if [ "$test_failed" = 0 ]; then
		rm -rf "$TRASH"
		exit 0
	fi
	echo "# failed $test_failed of $test_count; trash kept in $TRASH"
	exit 1
}
