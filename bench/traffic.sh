#!/usr/bin/env bash
# Capture-reading throughput and peak memory: doorman against
# `tshark -q -z conv,ip` on one generated capture (bench/trafficgen).
#
#   bench/traffic.sh                 # 1 GiB capture in bench/out/traffic-1G.pcap (made once)
#   SIZE=200M bench/traffic.sh       # smaller, for development
#
# Environment:
#   SIZE=1G       capture size (K, M, G); each size is generated once
#   FORMAT=pcap   pcap or pcapng
#   REPEAT=1      runs per tool; the fastest is kept
#   READER=auto   what measures doorman: "doorman" (`doorman traffic FILE
#                 --format json -o /dev/null`), "capture" (bench/trafficread,
#                 the reader with a conversation table), or auto: doorman
#                 when its traffic command exists, else capture
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
SIZE=${SIZE:-1G}
FORMAT=${FORMAT:-pcap}
REPEAT=${REPEAT:-1}
READER=${READER:-auto}
OUT=bench/out
BIN=$OUT/bin
CAP=$OUT/traffic-$SIZE.$FORMAT

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/traffic.sh: %s\n' "$*" >&2; exit 1; }

apt_install() {
	[ "$(id -u)" = 0 ] || die "$1 is missing: install the Debian package $1 (apt-get install -y $1)"
	say "installing Debian package $1"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null ||
		die "apt-get install $1 failed"
}
[ -x /usr/bin/time ] || apt_install time
command -v tshark >/dev/null 2>&1 || apt_install tshark

mkdir -p "$OUT" "$BIN"
say "building"
go build -o "$BIN/trafficgen" ./bench/trafficgen
go build -o "$BIN/trafficread" ./bench/trafficread
go build -o "$BIN/doorman" ./cmd/doorman

if [ "$READER" = auto ]; then
	READER=capture
	if "$BIN/doorman" traffic --help >/dev/null 2>&1; then READER=doorman; fi
fi

if [ ! -s "$CAP" ]; then
	say "generating $CAP ($SIZE)"
	"$BIN/trafficgen" -o "$CAP.tmp" -size "$SIZE" -format "$FORMAT" && mv "$CAP.tmp" "$CAP"
fi
BYTES=$(stat -c %s "$CAP")
PACKETS=$("$BIN/trafficread" "$CAP" | sed -n 's/.*, \([0-9]*\) packets (.*/\1/p')
say "$CAP: $BYTES bytes, $PACKETS packets"
cat "$CAP" >/dev/null # warm the page cache for everyone

# measure NAME CMD...: the fastest of REPEAT runs; prints "seconds rss_kib".
measure() {
	local name=$1 best="" rss="" i
	shift
	for ((i = 0; i < REPEAT; i++)); do
		/usr/bin/time -v -o "$OUT/time.$name" "$@" >/dev/null 2>"$OUT/stderr.$name" ||
			{ cat "$OUT/stderr.$name" >&2; die "$name failed"; }
		local wall kib
		wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s}' "$OUT/time.$name")
		kib=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/time.$name")
		if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$wall rss=$kib; fi
	done
	echo "$best $rss"
}

declare -A RES
case $READER in
doorman)
	# The generator's devices sit in the documentation ranges, which are not
	# private, so they are named; its servers are the allowlist, so the one
	# planted beacon (203.0.113.66:8443) is the finding to expect.
	printf '198.51.100.0/24\n2001:db8:ff00::/40\n192.0.2.254\n2001:db8::53\n' > "$OUT/traffic-allow.txt"
	RES[doorman]=$(measure doorman "$BIN/doorman" traffic "$CAP" --device 192.0.2.0/24 --device 2001:db8::/64 --allow "$OUT/traffic-allow.txt" --format json -o "$OUT/traffic-report.json" --fail-on none)
	python3 - "$OUT/traffic-report.json" >&2 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
import collections
print("doorman findings:", dict(collections.Counter(f["rule"] + " " + f["severity"] for f in r["findings"])) or "none")
for f in r["findings"]:
    if f["severity"] in ("high", "critical"):
        print("  ", f["severity"], f["rule"], f["message"][:140])
PY
	;;
capture) RES[doorman]=$(measure doorman "$BIN/trafficread" "$CAP") ;;
*) die "READER must be doorman, capture or auto" ;;
esac
RES[tshark]=$(measure tshark tshark -r "$CAP" -q -z conv,ip)

{
	echo "capture: $CAP, $BYTES bytes, $PACKETS packets; doorman measured as: $READER"
	echo
	echo "| tool | seconds | packets/s | MB/s | peak RSS |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for tool in doorman tshark; do
		read -r s kib <<<"${RES[$tool]}"
		awk -v t="$tool" -v s="$s" -v k="$kib" -v p="$PACKETS" -v b="$BYTES" \
			'BEGIN {printf "| %s | %.2f | %.0f | %.1f | %d MiB |\n", t, s, p / s, b / 1e6 / s, k / 1024}'
	done
	read -r ds _ <<<"${RES[doorman]}"
	read -r ts _ <<<"${RES[tshark]}"
	awk -v d="$ds" -v t="$ts" 'BEGIN {printf "\ndoorman is %.1fx tshark (target: faster than tshark)\n", t / d}'
} | tee "$OUT/traffic-results.md"
