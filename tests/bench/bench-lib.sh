# Shared by the benchmark scripts: how a figure is printed against its
# target. Sourced; sets missed=1 when a target is missed.
missed=0

verdict() {	# verdict WHAT VALUE TARGET UNIT
	local ok
	ok=$(awk -v v="$2" -v t="$3" 'BEGIN { print (v <= t) ? "met" : "MISSED" }')
	[ "$ok" = met ] || missed=1
	printf '%-46s %9s %s  target %s  ratio %s %s\n' "$1" "$2" "$4" "$3" \
		"$(awk -v v="$2" -v t="$3" 'BEGIN { printf "%.3f", v / t }')" "$ok"
}

ms() {	# ms CMD...: median wall time of 11 runs, in milliseconds
	local t=() s e
	for _ in $(seq 11); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		t+=($(( (e - s) / 1000 )))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n 6p |
		awk '{ printf "%.1f", $1 / 1000 }'
}
