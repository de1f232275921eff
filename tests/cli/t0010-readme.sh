#!/bin/bash
# The README as a newcomer pastes it: every line of its "Using it" block
# runs, in order, on a fresh database; its crontab and squid lines name
# aupctl by full path; its list of what is not built yet is exact.
. "$(dirname "$0")/test-lib.sh"

README=$AUPCTL_SRCDIR/README.md
# The README's suspension ends on 2026-12-01: still ahead at this moment.
TEST_NOW="2026-11-23 10:00:00"

# The lines of the first fenced block under "## Using it".
awk '/^## / { on = ($0 == "## Using it"); next }
	on && /^```/ { if (inblock) exit; inblock = 1; next }
	inblock' "$README" >readme.sh
mapfile -t lines <readme.sh

# Run one README line here: absolute paths (/var/backups/...) move under
# $TRASH/root, their folders made; "aupctl" is the built one (test-lib.sh).
# Only the commands that exit 1 when they find something (check, password
# expired, password check) may exit 1; anything else must exit 0.
readme_run() {
	cmd=$(printf "%s\n" "$1" | sed "s#\([ =]\)/\([a-z]\)#\1$TRASH/root/\2#g")
	for word in $cmd; do
		case $word in
		"$TRASH"/root/*) mkdir -p "$(dirname "$word")" ;;
		esac
	done
	eval "$cmd" </dev/null
	rc=$?
	case $rc:$1 in
	0:*) return 0 ;;
	1:*"aupctl check"* | 1:*"aupctl password expired"* | \
	1:*"aupctl password check"*)
		return 0 ;;
	esac
	echo "exit $rc: $1" >&2
	return 1
}

test_expect_success 'the README has a Using it block of aupctl lines' '
	test "${#lines[@]}" -ge 8 &&
	grep -q "^aupctl init " readme.sh &&
	! grep -v -e "^aupctl " -e "| aupctl " readme.sh
'

for line in "${lines[@]}"; do
	title=${line%%#*}
	test_expect_success "README: ${title%"${title##*[! ]}"}" \
		'readme_run "$line"'
done

test_expect_success 'the README lines did what they say' '
	test -s zoe.txt && test -s zoe-reset.txt &&
	ls root/var/backups/aupctl-*.db >backups &&
	test_line_count = 1 backups &&
	aupctl --format csv user list >list &&
	grep -q ",zoneill,Zoë,O.Neill,staff," list &&
	grep -q ",21sobriain,Siân,Ó Briain,pupil,5,KS2,5B,suspended$" list
'

test_expect_success 'the README crontab and squid lines give the full path' '
	grep -E "^[0-9*]+ [0-9*]+ [0-9*]+ [0-9*]+ [0-9*]+ " "$README" >cron &&
	test_line_count = 1 cron &&
	grep -E "^([^ ]+ +){5}/[a-z/]+/bin/aupctl -q check" cron &&
	grep -oE "program [^ ]+" "$README" >squid &&
	grep -E "^program /[a-z/]+/bin/aupctl$" squid
'

# Every command of the product specification (PRODUCT.md section 5) by its
# first words: either aupctl --help lists it, or the README's list of what
# is not built yet names it, never both.
product_commands="init user:add user:list user:show user:edit user:suspend
	user:reactivate user:unlock user:export operator password:set
	password:reset password:check password:expired import aup visitor
	leaver year check auth export log db:backup db:check purge"

test_expect_success 'the README names exactly the commands not built yet' '
	sed -n "/^Built so far:/,/^\$/p" "$README" |
		sed -n "/Not built yet/,\$p" | tr "\n" " " |
		grep -oE "\`[a-z]+( [a-z]+)?\`" | tr -d "\`" >unbuilt &&
	! grep -qx auptui unbuilt &&
	aupctl --help | sed -n "/^Commands:/,/^\$/p" >help &&
	for c in $product_commands; do
		c=$(echo "$c" | tr : " ") &&
		if grep -qE "^  $c( |\$)" help; then
			! grep -qx "$c" unbuilt ||
			{ echo "built but listed as not built: $c"; exit 1; }
		else
			grep -qx "$c" unbuilt ||
			{ echo "not built and not in the README list: $c"; exit 1; }
		fi
	done &&
	for c in $(tr " " : <unbuilt); do
		echo " $product_commands " | tr -s "\n\t" "  " | grep -q " $c " ||
		{ echo "in the README list but not a product command: $c"; exit 1; }
	done
'

test_done
