#!/bin/bash
# The deployment for several office users (aupctl(1), DEPLOYMENT): the
# database given to a group no person belongs to, aupctl setgid to it.
# Each user acts only through aupctl, under their own operator role, and
# none can read the file or open it with sqlite3. A privileged run (setgid,
# or sudo) reads only /etc/aupctl/aupctl.ini: each run here sees a private
# /etc (an overlay in a mount namespace of its own), so the machine's /etc
# is never touched.
. "$(dirname "$0")/test-lib.sh"

grp=aupt$$
office=aupo$$		# an operator with the office role
stranger=aupn$$		# no operator at all
netmgr=nm$$		# the network manager, through sudo
D=$TRASH/deploy
BIN=$D/bin/aupctl
DB=$D/var/aupctl/data/school.db

test_lazy_prereq OVERLAY '
	mkdir -p up work &&
	unshare -m sh -c "mount -t overlay overlay -o lowerdir=/etc,upperdir=$PWD/up,workdir=$PWD/work /etc"
'
test_lazy_prereq USERADD 'command -v useradd && command -v setpriv'
# A setgid process may not be traced, so LeakSanitizer dies in it; and it
# may not read its own /proc/self/environ, so ASAN_OPTIONS cannot turn
# that off. The sanitizer run skips the tests that run aupctl setgid as
# someone else; the plain run has them.
test_lazy_prereq ASAN 'grep -qa __asan_init "$AUPCTL"'

# Run a command with /etc/aupctl/aupctl.ini as this test wrote it, and none
# of the variables a privileged run refuses.
with_etc() {
	env -u AUPCTL_DB -u AUPCTL_CONFIG -u AUPCTL_DATADIR \
		unshare -m sh -c 'mount -t overlay overlay -o \
lowerdir=/etc,upperdir="$0/etc-up",workdir="$0/etc-work" /etc &&
exec "$@"' "$D" "$@"
}
# As root through sudo, for the network manager.
as_sudo() {
	with_etc env SUDO_USER=$netmgr "$BIN" "$@"
}
# Run a command as Unix user $1 (with their own groups only).
as_user() {
	local u=$1
	shift
	with_etc setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
		"$@"
}

deploy() {
	test_when_finished "undeploy" &&
	groupadd "$grp" &&
	useradd -M -N -s /bin/sh "$office" &&
	useradd -M -N -s /bin/sh "$stranger" &&
	chmod 0711 "$TRASH" &&
	mkdir -p "$D/bin" "$D/share" "$D/var" "$D/etc-up/aupctl" "$D/etc-work" &&
	chmod 0755 "$D" "$D/bin" "$D/share" "$D/var" &&
	cp "$AUPCTL" "$BIN" &&
	chgrp "$grp" "$BIN" && chmod 2755 "$BIN" &&
	printf "[database]\npath = %s\ngroup = %s\n[argon2]\nm_cost_kib = 1024\nt_cost = 1\n" \
		"$DB" "$grp" >"$D/etc-up/aupctl/aupctl.ini" &&
	chmod 0644 "$D/etc-up/aupctl/aupctl.ini" &&
	chmod 0755 "$D/etc-up/aupctl"
}
undeploy() {
	chmod 0700 "$TRASH"
	rm -rf "$D"
	userdel "$office" 2>/dev/null
	userdel "$stranger" 2>/dev/null
	groupdel "$grp" 2>/dev/null
	:
}

test_expect_success ROOT,OVERLAY,USERADD,!ASAN 'setgid deployment, end to end' '
	deploy &&

	# The network manager creates it through sudo and becomes admin.
	as_sudo init --school "Riverside Primary" &&
	test "$(stat -c "%a %G" "$DB")" = "660 $grp" &&
	test "$(stat -c "%a %G" "$D/var/aupctl/data")" = "2770 $grp" &&
	test "$(stat -c "%a %G" "$D/var/aupctl")" = "750 $grp" &&
	as_sudo --format csv operator list >out &&
	printf "login,role\n%s,admin\n" "$netmgr" >expect &&
	test_cmp expect out &&
	as_sudo -q user add --role staff --first Amy --last Smith &&
	as_sudo -q operator set "$office" office &&

	# The office user acts through aupctl, as their role allows.
	as_user "$office" "$BIN" user list >out &&
	grep asmith out &&
	as_user "$office" "$BIN" user add --role pupil --first Ben --last Ng \
		--year 4 --username ben.ng &&
	as_user "$office" "$BIN" password reset ben.ng >out &&
	grep "^ben.ng  *Ben Ng  " out &&
	test_expect_code 77 as_user "$office" "$BIN" password reset asmith &&
	test_expect_code 77 as_user "$office" "$BIN" operator set "$office" admin &&
	as_sudo --format csv log >log &&
	grep ",$office,user.add," log &&
	grep ",$netmgr,db.init," log &&

	# Someone who is not an operator may do nothing, whatever they say.
	test_expect_code 77 as_user "$stranger" "$BIN" user list 2>err &&
	grep "$stranger. is not an aupctl operator" err &&
	test_expect_code 77 as_user "$stranger" env SUDO_USER=$netmgr \
		"$BIN" user list 2>err &&
	grep "$stranger. is not an aupctl operator" err &&

	# Neither can reach the file itself.
	for u in "$office" "$stranger"; do
		test_must_fail as_user "$u" cat "$DB" 2>err &&
		grep "Permission denied" err &&
		test_must_fail as_user "$u" sqlite3 "$DB" \
			"UPDATE operators SET role = '\''admin'\''" 2>err &&
		grep -i "unable to open\|permission\|readonly\|authoriz" err ||
		return 1
	done &&
	as_sudo --format csv operator list >out &&
	grep "^$office,office$" out &&

	# SQLite makes its -wal and -shm files as the user who runs aupctl;
	# the folders keep that user from reaching them by any path.
	test_must_fail as_user "$office" ls "$D/var/aupctl/data" &&
	test_must_fail as_user "$office" ls "$D/var/aupctl" &&
	as_sudo log --verify
'

test_expect_success ROOT,OVERLAY,USERADD,!ASAN 'a privileged run takes no path from its caller' '
	deploy &&
	as_sudo init --school "Riverside Primary" &&
	as_sudo -q operator set "$office" office &&
	test_expect_code 78 as_user "$office" "$BIN" --db "$TRASH/mine.db" init \
		--school X 2>err &&
	grep "\-\-db is refused in a privileged run" err &&
	test_expect_code 78 as_user "$office" "$BIN" --config /dev/null \
		user list 2>err &&
	grep "\-\-config is refused" err &&
	test_expect_code 78 as_user "$office" env AUPCTL_CONFIG=/dev/null \
		"$BIN" user list &&
	test_expect_code 78 as_user "$office" env AUPCTL_DB="$TRASH/mine.db" \
		"$BIN" user list &&
	test_expect_code 78 as_user "$office" env AUPCTL_DATADIR=/tmp \
		"$BIN" user list &&
	test ! -e "$TRASH/mine.db" &&

	# Installed setuid root, aupctl still takes SUDO_USER only from root.
	cp "$BIN" "$D/bin/aupctl-suid" && chmod 4755 "$D/bin/aupctl-suid" &&
	test_expect_code 77 as_user "$stranger" env SUDO_USER=$netmgr \
		"$D/bin/aupctl-suid" user list 2>err &&
	grep "$stranger. is not an aupctl operator" err &&

	# A system file that others may write is not trusted.
	chmod 0664 "$D/etc-up/aupctl/aupctl.ini" &&
	test_expect_code 78 as_user "$office" "$BIN" user list 2>err &&
	grep "not safe for a privileged run" err &&
	chmod 0644 "$D/etc-up/aupctl/aupctl.ini" &&
	chown "$office" "$D/etc-up/aupctl/aupctl.ini" &&
	test_expect_code 78 as_user "$office" "$BIN" user list &&
	chown root "$D/etc-up/aupctl/aupctl.ini" &&
	as_user "$office" "$BIN" user list
'

test_expect_success ROOT,OVERLAY,USERADD 'SUDO_USER names the operator under sudo' '
	deploy &&
	as_sudo init --school "Riverside Primary" &&
	as_sudo -q user add --role staff --first Amy --last Smith &&
	test_expect_code 77 with_etc env SUDO_USER=mrsbell "$BIN" user edit \
		asmith --class 3A 2>err &&
	grep "not an aupctl operator" err &&
	as_sudo -q operator set mrsbell office &&
	with_etc env SUDO_USER=mrsbell "$BIN" user edit asmith --class 3A &&
	as_sudo --format csv log | tail -1 | cut -d, -f3 >out &&
	echo mrsbell >expect &&
	test_cmp expect out
'

test_expect_success ROOT,OVERLAY,USERADD 'a member of the group can open the file: keep people out of it' '
	deploy &&
	as_sudo init --school "Riverside Primary" &&
	usermod -a -G "$grp" "$stranger" &&
	as_user "$stranger" sqlite3 "$DB" "SELECT count(*) FROM operators" >out &&
	echo 1 >expect &&
	test_cmp expect out
'

test_done
