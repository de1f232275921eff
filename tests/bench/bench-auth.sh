#!/bin/bash
# Benchmark: `aupctl auth` requests per second, end to end through the
# squid protocol, against the ideal of (cores / one verify) measured in the
# same run. One helper process per core, as squid would run them.
set -euo pipefail
: "${AUPCTL:?}" "${BENCH_HASH:?}"
export AUPCTL_DATADIR AUPCTL_CONFIG=
dir=$(mktemp -d /tmp/aup-bench-auth.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export AUPCTL_DB=$dir/school.db
"$AUPCTL" -q init --school "Bench School"
echo maple-otter-cloud-42 | "$AUPCTL" -q user add --role staff --first Amy \
	--last Smith --password-stdin
cores=$(nproc)
per=${BENCH_REQUESTS:-100}
for _ in $(seq "$per"); do echo "asmith maple-otter-cloud-42"; done >"$dir/req"
verify_ms=$("$BENCH_HASH" | sed -n 's/^one verify: *\([0-9.]*\) ms.*/\1/p')
# run HELPERS: time HELPERS helper processes answering $per requests each.
run() {
	local helpers=$1 start end
	rm -f "$dir"/out.*
	start=$(date +%s.%N)
	for i in $(seq "$helpers"); do
		"$AUPCTL" auth <"$dir/req" >"$dir/out.$i" &
	done
	wait
	end=$(date +%s.%N)
	python3 - "$start" "$end" "$verify_ms" "$helpers" "$((helpers * per))" \
		"$(cat "$dir"/out.* | grep -c '^OK$')" <<'PY'
import sys
start, end, verify, helpers, total, ok = map(float, sys.argv[1:])
wall = end - start
rate = total / wall
ideal = helpers / (verify / 1000)
per_req = wall * helpers / total * 1000
print(f"{int(helpers)} helper(s), {int(total)} requests, {int(ok)} OK: {wall:.2f} s, "
      f"{rate:.1f} req/s; ideal {ideal:.1f} req/s (ratio {rate / ideal:.3f}); "
      f"{per_req - verify:.3f} ms a request beyond one verify")
sys.exit(0 if ok == total else 1)
PY
}
# The same path end to end with a hash that costs next to nothing: what is
# left is aupctl's own overhead (parsing, lookup, counters, commit, flush).
printf "[argon2]\nt_cost = 1\nm_cost_kib = 8\n" >"$dir/min.ini"
echo maple-otter-cloud-42 | "$AUPCTL" -q --config "$dir/min.ini" user add \
	--role staff --first Min --last Cost --password-stdin
for _ in $(seq 1000); do echo "mcost maple-otter-cloud-42"; done >"$dir/min.req"
start=$(date +%s.%N)
"$AUPCTL" --config "$dir/min.ini" auth <"$dir/min.req" >"$dir/min.out"
end=$(date +%s.%N)
[ "$(grep -c '^OK$' "$dir/min.out")" = 1000 ]
python3 -c "import sys; ms = (float(sys.argv[2]) - float(sys.argv[1])) * 1000 / 1000; \
print(f'1000 requests with a minimal-cost hash: {ms:.3f} ms a request, '
      f'process start included (target < 1 ms beyond one verify)')" \
	"$start" "$end"
# At full cost the gap to the ideal below also holds how much one verify
# varies between the run timed alone and the runs in a stream.

echo "one verify (median, alone): $verify_ms ms; target: under 1 ms a request beyond it"
run 1
# With a helper per core the verifies share memory bandwidth, so part of
# the gap to the ideal is Argon2's, not aupctl's.
[ "$cores" -gt 1 ] && run "$cores"
exit 0
