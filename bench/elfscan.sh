#!/bin/sh
# elfscan.sh — doorman on a clean Debian root file system: how many ELF
# files per second the executable analysis reads, peak memory, and the
# high/critical findings (the goal on a clean system: none).
#
#   bench/elfscan.sh [ROOTFS_DIR]
#
# Needs debootstrap (apt-get install -y debootstrap) and root for the first
# run; the root file system is kept in bench/out/debian-minbase for reruns.
set -eu
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
root=${1:-bench/out/debian-minbase}
if [ ! -x "$root/bin/sh" ]; then
	mkdir -p "$root"
	debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >bench/out/debootstrap.log 2>&1
fi
elfs=$(find "$root" -type f -exec sh -c 'head -c4 "$1" | grep -q "^.ELF" && echo x' _ {} \; | wc -l)
go build ${DOORMAN_BUILD_FLAGS:-} -o bench/out/doorman ./cmd/doorman
/usr/bin/time -v bench/out/doorman scan "$root" --format json -o bench/out/elfscan.json --fail-on none 2>bench/out/elfscan.time || true
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' bench/out/elfscan.time)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' bench/out/elfscan.time)
secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
echo "ELF files: $elfs   wall: ${secs}s   ELF files/s: $(awk "BEGIN { printf \"%.0f\", $elfs / $secs }")   peak RSS: $((rss / 1024)) MiB"
echo "findings at high or critical:"
python3 - bench/out/elfscan.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
hi = [f for f in r.get("findings", []) if f["severity"] in ("high", "critical")]
for f in hi:
    print(" ", f["severity"], f["rule"], f["location"]["path"], "-", f["message"][:160])
print("  total:", len(hi), "of", len(r.get("findings", [])), "findings;", len(r.get("inventory", {}).get("binaries") or []), "binaries in the inventory")
PY
