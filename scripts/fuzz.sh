#!/usr/bin/env bash
# Runs every fuzz target of the module (every `func FuzzXxx(f *testing.F)`
# in a _test.go file), one after the other, each for the same time, and
# prints a summary. Not run in CI: fuzzing is open-ended and uses every
# core. New failing inputs are written by go test under the package's
# testdata/fuzz/FuzzXxx/, where they become regression seeds.
#
#   scripts/fuzz.sh          # 60s per target
#   scripts/fuzz.sh 5m       # 5 minutes per target
#   scripts/fuzz.sh 30s ./artifact/...   # only the targets under these packages
set -uo pipefail

fuzztime="${1:-60s}"
shift || true
patterns=("${@:-./...}")

cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:--mod=mod}"

# Package directories of the selected packages, then the fuzz targets in
# their test files.
mapfile -t dirs < <(go list -f '{{.Dir}}' "${patterns[@]}")
targets=()
for dir in "${dirs[@]}"; do
	pkg="./$(realpath --relative-to=. "$dir")"
	while read -r name; do
		targets+=("$pkg $name")
	done < <(grep -ho '^func Fuzz[A-Za-z0-9_]*(' "$dir"/*_test.go 2>/dev/null | sed 's/^func //; s/($//' | sort -u)
done

if [ "${#targets[@]}" -eq 0 ]; then
	echo "no fuzz targets found in ${patterns[*]}"
	exit 0
fi
echo "${#targets[@]} fuzz targets, ${fuzztime} each"

logdir="$(mktemp -d "${TMPDIR:-/tmp}/doorman-fuzz.XXXXXX")"
summary=()
failed=0
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	log="$logdir/$(echo "$pkg" | tr '/.' '__')_$name.log"
	echo "== $pkg $name"
	start=$(date +%s)
	# Minimising each new input for the default 60s stalls short runs.
	if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s >"$log" 2>&1; then
		status=ok
	else
		status=FAIL
		failed=$((failed + 1))
		grep -E -- '--- FAIL|Failing input written to|panic:|_test.go:[0-9]+:' "$log" | head -n 8 | sed 's/^/   /'
	fi
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	summary+=("$(printf '%-5s %-28s %-40s %6ss %12s execs' "$status" "$pkg" "$name" "$(($(date +%s) - start))" "${execs:-?}")")
done

echo
echo "summary (logs in $logdir):"
printf '  %s\n' "${summary[@]}"
echo "${#targets[@]} fuzz targets: $((${#targets[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
