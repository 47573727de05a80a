#!/usr/bin/env bash
# Source-tree analysis speed: doorman (every rule and analyzer: secrets,
# source behaviour for JS/Python/PHP/shell/C/Go, trojan source, lockfiles,
# build scripts) against gitleaks (secrets only) on the same tree: a
# node_modules of about a thousand npm packages plus a Go module cache.
#
#   bench/source.sh               # builds the tree once in bench/out/srctree
#
# The tree is made with `npm install --ignore-scripts` (nothing from the
# packages runs here) and `go mod download` of the modules bench/realpkgs.sh
# lists. Environment: GITLEAKS_VERSION=v8.30.1, REPEAT=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
OUT=bench/out
TREE=$OUT/srctree
BIN=$OUT/bin
GITLEAKS_VERSION=${GITLEAKS_VERSION:-v8.30.1}
REPEAT=${REPEAT:-1}
say() { printf '== %s\n' "$*" >&2; }
mkdir -p "$TREE" "$BIN"
[ -f "$OUT/go.mod" ] || printf 'module doorman.invalid/benchout\n\ngo 1.26\n' >"$OUT/go.mod"

# Packages whose dependency trees together make about a thousand packages:
# build tools, test runners, frameworks, clients.
NPM="webpack webpack-cli eslint jest typescript @babel/core @babel/preset-env react react-dom next express mongoose axios lodash moment socket.io aws-sdk prettier rollup vite"
if [ ! -d "$TREE/node_modules" ]; then
	say "npm install --ignore-scripts ($NPM)"
	(cd "$TREE" && [ -f package.json ] || echo '{"name":"srctree","private":true}' >package.json
	 npm install --ignore-scripts --no-audit --no-fund --silent $NPM >/dev/null)
fi
if [ ! -d "$TREE/gomod" ]; then
	say "go mod download (the modules of bench/realpkgs.sh)"
	mods=$(sed -n '/^GO_MODULES="/,/"$/p' bench/realpkgs.sh | tr -d '"' | sed 's/^GO_MODULES=//')
	for m in $mods; do
		GOMODCACHE="$ROOT/$TREE/gomod" GOFLAGS=-modcacherw go mod download "$m" >/dev/null 2>&1 || say "warning: $m"
	done
	rm -rf "$TREE/gomod/cache" # the zips duplicate the extracted trees
fi
PKGS=$(find "$TREE/node_modules" -name package.json -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*/*/package.json' | wc -l)
BYTES=$(du -sb "$TREE" | cut -f1)
FILES=$(find "$TREE" -type f | wc -l)
say "tree: $FILES files, $((BYTES / 1000000)) MB, about $PKGS npm packages"

GITLEAKS=$BIN/gitleaks-$GITLEAKS_VERSION/gitleaks
if [ ! -x "$GITLEAKS" ]; then
	say "go install gitleaks@$GITLEAKS_VERSION"
	(cd / && GOFLAGS= GOBIN="$ROOT/$(dirname "$GITLEAKS")" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION")
fi
go build -o "$BIN/doorman" ./cmd/doorman

measure() { # NAME CMD...: prints "NAME seconds peakKiB cpuSeconds" (fastest of REPEAT)
	local name=$1 best="" line
	shift
	for ((i = 0; i < REPEAT; i++)); do
		/usr/bin/time -f "%e %M %U %S" -o "$OUT/time-src-$name.txt" "$@" >/dev/null 2>"$OUT/src-$name.stderr" || true
		read -r s m u y <"$OUT/time-src-$name.txt"
		if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN {exit !(a < b)}'; then
			best=$s
			line="$name $s $m $(awk -v u="$u" -v y="$y" 'BEGIN {printf "%.1f", u + y}')"
		fi
	done
	echo "$line"
}
find "$TREE" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
LOAD=$(cut -d' ' -f1 /proc/loadavg)
say "doorman scan (every analyzer)"
D=$(measure doorman "$BIN/doorman" scan "$TREE" --format json -o "$OUT/src-doorman.json" --fail-on none --quiet)
say "gitleaks dir"
G=$(measure gitleaks "$GITLEAKS" dir "$TREE" --no-banner --report-format json --report-path "$OUT/src-gitleaks.json" --exit-code 0)
LOAD1=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$OUT/src-doorman.json" "$OUT/src-gitleaks.json" "$BYTES" "$FILES" "$PKGS" "$LOAD" "$LOAD1" "$D" "$G" <<'PY'
import json, sys, collections
dj, gj, nbytes, files, pkgs, l0, l1, d, g = sys.argv[1:]
nbytes = int(nbytes)
rows = []
for line in (d, g):
    name, s, kib, cpu = line.split()
    rows.append((name, float(s), int(kib), float(cpu)))
print(f"tree: {files} files, {nbytes/1e6:.0f} MB, ~{pkgs} npm packages + Go modules; load {l0} -> {l1} (2 cores)")
print("| tool | seconds | MB/s | CPU s | peak RSS |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, s, kib, cpu in rows:
    print(f"| {name} | {s:.1f} | {nbytes/1e6/s:.1f} | {cpu:.1f} | {kib//1024} MiB |")
print(f"doorman/gitleaks speed: {rows[1][1]/rows[0][1]:.2f}x")
r = json.load(open(dj))
sev = collections.Counter(f["severity"] for f in r["findings"])
print("doorman findings:", dict(sev), "errors:", len(r["errors"]))
for f in r["findings"]:
    if f["severity"] in ("high", "critical"):
        print(f"  {f['severity']} {f['rule']} {f['location']['path'].split('srctree/',1)[-1][:100]}: {f['message'][:100]}")
try:
    print("gitleaks leaks:", len(json.load(open(gj))))
except Exception as e:
    print("gitleaks report:", e)
PY
