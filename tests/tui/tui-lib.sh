# auptui end to end: the CLI tests' library (a fresh database, aupctl to
# set it up, TAP out) and auptui run inside a tmux of its own, driven with
# send-keys and read with capture-pane, the way a person sees it.
#
# Environment, beside test-lib.sh's: AUPTUI (the binary); AUPTUI_WRAPPER
# (a command to run it under, such as valgrind: what it says on standard
# error, kept in tui.err, fails the story); TUI_WAIT (tenths of a second to
# wait for the screen to show something; default 300: a loaded machine
# running auptui under a sanitizer can stall for seconds).
. "$(dirname "$0")/../cli/test-lib.sh"
: "${AUPTUI:?AUPTUI must name the auptui binary}"

# A tmux server of its own for each start: one killed at the end of a
# story may still be going away when the next story starts, and a client
# that reaches it then is told "server exited unexpectedly". Each story
# runs in a subshell, so the count of starts is kept in a file, not a
# variable (which the next story would see reset).
TMUX_SOCKET="$TRASH/tmux.0.sock"
tmux_() {
	tmux -S "$TMUX_SOCKET" "$@"
}

# tui_start COLSxROWS [ARGS...]: auptui on a terminal of that size, its
# standard error in tui.err. When it ends, its exit code goes to tui.exit
# and the terminal's modes to tui.stty, and the pane stays for capture-pane
# to read.
tui_start() {
	size=$1
	shift
	starts=$(($(cat "$TRASH/tui.starts" 2>/dev/null || echo 0) + 1))
	echo "$starts" >"$TRASH/tui.starts"
	TMUX_SOCKET="$TRASH/tmux.$starts.sock"
	test ! -e "$TMUX_SOCKET" || {
		echo "tui_start: $TMUX_SOCKET is taken"
		return 1
	}
	rm -f "$TRASH/tui.exit" "$TRASH/tui.stty" "$TRASH/tui.err"
	cat >"$TRASH/run-tui" <<-SCRIPT
	${AUPTUI_WRAPPER:-} "$AUPTUI" "\$@" 2>"$TRASH/tui.err"
	echo "exit=\$?" >"$TRASH/tui.exit"
	stty -a >"$TRASH/tui.stty"
	exec sleep 600
	SCRIPT
	tmux_ -f /dev/null new-session -d -s tui -x "${size%x*}" \
		-y "${size#*x}" sh "$TRASH/run-tui" "$@"
}

# tui_keys KEYS...: type them, as tmux send-keys names them.
tui_keys() {
	tmux_ send-keys -t tui "$@"
}

# tui_type TEXT: type TEXT literally.
tui_type() {
	tmux_ send-keys -t tui -l "$1"
}

# tui_screen [-e]: what the screen shows now (-e: with its colours).
tui_screen() {
	tmux_ capture-pane -p "$@" -t tui
}

# tui_until WHAT CMD...: run CMD until it succeeds; after TUI_WAIT tries a
# tenth of a second apart, say WHAT, print the screen and fail.
tui_until() {
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		if [ "$i" -gt "${TUI_WAIT:-300}" ]; then
			echo "$what"
			tui_screen
			return 1
		fi
		sleep 0.1
	done
}

screen_has() {
	tui_screen | grep -E -q -- "$1"
}

screen_lacks() {
	! screen_has "$1"
}

tui_ended() {
	[ -s "$TRASH/tui.exit" ] && [ -s "$TRASH/tui.stty" ]
}

# tui_wait PATTERN: until the screen shows a line matching PATTERN (grep -E).
tui_wait() {
	tui_until "the screen never showed: $1" screen_has "$1"
}

# tui_wait_gone PATTERN: until no line matches PATTERN.
tui_wait_gone() {
	tui_until "the screen still shows: $1" screen_lacks "$1"
}

# tui_exited: until auptui has ended; its "exit=N" is in tui.exit.
tui_exited() {
	tui_until "auptui did not end" tui_ended
}

# tui_stop: the tmux and what runs in it, gone; fails when auptui died of a
# signal, or a wrapper (say, valgrind) or a sanitizer had something to say.
tui_stop() {
	# auptui ended by a signal of its own (a crash) before the story did.
	if [ -s "$TRASH/tui.exit" ] &&
		[ "$(sed -n "s/^exit=//p" "$TRASH/tui.exit")" -ge 128 ]; then
		echo "auptui died: $(cat "$TRASH/tui.exit")"
		tmux_ kill-server 2>/dev/null
		return 1
	fi
	tmux_ kill-server 2>/dev/null
	# A wrapper's report (valgrind's, or the sanitizers' built in).
	if [ -s "$TRASH/tui.err" ] &&
		grep -E -q "^==[0-9]+==|runtime error:" "$TRASH/tui.err"; then
		cat "$TRASH/tui.err"
		return 1
	fi
	return 0
}
