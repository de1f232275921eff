# A small test library in the style of git's t/test-lib.sh: each test file
# is a story of test_expect_success blocks run against a fresh database in
# its own trash directory, reporting TAP.
#
# Environment: AUPCTL (the binary), AUPCTL_DATADIR (the data folder),
# TEST_TMP (where trash directories go; default: /tmp), AUPCTL_WRAPPER (a
# command to run aupctl under, such as valgrind).

set -u
: "${AUPCTL:?AUPCTL must name the aupctl binary}"
: "${AUPCTL_DATADIR:?AUPCTL_DATADIR must name the data folder}"

test_count=0
test_failed=0
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

say() {
	printf '# %s\n' "$*"
}

test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/out.$test_count" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		sed 's/^/#   /' "$TRASH/out.$test_count"
		printf '#   in:%s\n' "$(printf '%s' "$2" | sed 's/^/#     /')"
	fi
}

# Skip a test, saying why, when a prerequisite is missing.
test_skip() {
	test_count=$((test_count + 1))
	printf 'ok %d - %s # SKIP %s\n' "$test_count" "$1" "$2"
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
	if [ "$test_failed" = 0 ]; then
		rm -rf "$TRASH"
		exit 0
	fi
	echo "# failed $test_failed of $test_count; trash kept in $TRASH"
	exit 1
}
