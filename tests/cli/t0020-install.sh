#!/bin/bash
# Running where it was built and where it is installed: the word lists are
# built in, no environment variable is needed, and the installed files are
# where the man pages say they are.
. "$(dirname "$0")/test-lib.sh"

# The password in the credentials row (username,name,class,password) of a
# command run with --format csv.
new_password() {
	sed -n 2p "$1" | cut -d, -f4
}

test_expect_success 'a build directory aupctl generates passwords, no setting' '
	(
		unset AUPCTL_DATADIR &&
		aupctl init --school "Riverside Primary" --final-year 6 &&
		aupctl -q --format csv user add --role staff --first Amy \
			--last Smith --generate-password >out 2>err
	) &&
	new_password out | grep -E "^[a-z]+(-[a-z]+)+-[0-9]{2}$" &&
	test ! -s err
'

test_expect_success 'the blocklist is built in too' '
	(
		unset AUPCTL_DATADIR &&
		echo "password1234" | test_expect_code 1 \
			aupctl password check --role staff >out
	) &&
	grep "on the list of passwords that are common" out
'

test_expect_success 'a copy away from the build, with no data at all' '
	mkdir elsewhere &&
	cp "$AUPCTL" elsewhere/aupctl &&
	AUPCTL_DATADIR="$TRASH/nothing" elsewhere/aupctl user add \
		--role staff --first Bea --last Jones --generate-password \
		--format csv >out &&
	new_password out | grep -E "^[a-z]+(-[a-z]+)+-[0-9]{2}$"
'

# 300 made-up words of four letters, none of them in the built-in list.
printf "%s\n" {b,c,d,f,g}{a,e,i,o,u}{l,m,n,r,s,t}{a,o} >words.txt

test_expect_success '[password] wordlist names a file to use instead' '
	printf "[password]\nwordlist = %s\n" "$TRASH/words.txt" >words.ini &&
	aupctl --config words.ini user add --role staff --first Cal --last Ng \
		--generate-password --format csv >out &&
	pw=$(new_password out) &&
	test -n "$pw" &&
	for w in $(echo "$pw" | tr -- - "\n" | grep -v "^[0-9]*$"); do
		grep -qx "$w" words.txt || { echo "$w: not from words.txt"; exit 1; }
	done
'

test_expect_success '[password] blocklist names a file to use instead' '
	echo "plinkertonia" | aupctl password check --role staff >out &&
	grep "^accepted" out &&
	echo PLINKERTONIA >block.txt &&
	printf "[password]\nblocklist = %s\n" "$TRASH/block.txt" >block.ini &&
	echo "plinkertonia" | test_expect_code 1 \
		aupctl --config block.ini password check --role staff >out &&
	grep "on the list of passwords" out
'

test_expect_success 'a configured list that cannot be read: 66, named' '
	printf "[password]\nwordlist = %s\n" "$TRASH/none.txt" >none.ini &&
	test_expect_code 66 aupctl --config none.ini user add --role staff \
		--first Dee --last Ng --generate-password 2>err &&
	grep "cannot read the word list $TRASH/none.txt" err &&
	grep "hint: .*\[password\] wordlist" err
'

# meson install into a scratch folder: what the man pages name is there.
test_lazy_prereq MESON 'test -n "${MESON:-}" && test -n "${AUPCTL_BUILDDIR:-}"'

DEST=$TRASH/dest
test_expect_success MESON 'meson install puts the man pages in place' '
	"$MESON" install -C "$AUPCTL_BUILDDIR" --destdir "$DEST" \
		--no-rebuild --quiet >install.out 2>&1 ||
	{ cat install.out; exit 1; } &&
	find "$DEST" -name aupctl.1 >man1 &&
	find "$DEST" -name aupctl.ini.5 >man5 &&
	test_line_count = 1 man1 && test_line_count = 1 man5 &&
	! grep -n "@[A-Z_]*@" $(cat man1 man5)
'

# The installed aupctl, as the crontab example in the man page runs it.
crontab_bin() {
	sed -n "s/^30 6 \* \* \* \([^ ]*\) .*/\1/p" "$(cat man1)"
}

test_expect_success MESON 'the crontab example runs the installed aupctl' '
	bin=$(crontab_bin) &&
	case $bin in /*/bin/aupctl) ;; *) echo "not a full path: $bin"; exit 1 ;; esac &&
	test -x "$DEST$bin"
'

test_expect_success MESON 'every installed path the man pages name is there' '
	bin=$(crontab_bin) &&
	prefix=${bin%/bin/aupctl} &&
	grep -ohE "$prefix/[A-Za-z0-9_./-]*[A-Za-z0-9_]" $(cat man1 man5) |
		sort -u >paths &&
	test_line_count -ge 5 paths &&
	grep -qx "$prefix/share/bash-completion/completions/aupctl" paths &&
	while read -r p; do
		test -e "$DEST$p" || { echo "named but not installed: $p"; exit 1; }
	done <paths &&
	! grep -hE "(/usr|/opt)[a-z/]*/(bin|share)/" $(cat man1 man5) |
		grep -vF "$prefix/"
'

test_expect_success MESON 'the installed bash completion is the command table' '
	bin=$(crontab_bin) &&
	comp="$DEST${bin%/bin/aupctl}/share/bash-completion/completions/aupctl" &&
	aupctl completion bash >expect &&
	test_cmp expect "$comp" &&
	bash -c ". \"$comp\" && COMP_WORDS=(aupctl user a); COMP_CWORD=2;
		_aupctl && echo \${COMPREPLY[*]}" >out &&
	grep -w add out
'

test_expect_success MESON 'the installed aupctl runs with no setting at all' '
	bin=$(crontab_bin) &&
	env -u AUPCTL_DATADIR "$DEST$bin" user add --role staff --first Eve \
		--last Ng --generate-password --format csv >out &&
	new_password out | grep -E "^[a-z]+(-[a-z]+)+-[0-9]{2}$"
'

test_done
