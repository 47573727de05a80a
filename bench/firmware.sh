#!/usr/bin/env bash
# Firmware benchmark: doorman's full scan of a 64 MiB BusyBox router image
# against binwalk's extraction of the same image, then doorman's verdict on
# the clean image and on its backdoored twin. See bench/README.md.
#
#   bench/firmware.sh                 # mipsel image measured; mipsel + armhf checked
#
# Environment:
#   ARCH=mipsel            architecture of the measured image (a Debian arch
#                          with a busybox-static package)
#   CHECK_ARCHES="mipsel armhf"  images whose findings are listed
#   REPEAT=1               runs per tool; the fastest is kept
#   LIST_MIN=medium        lowest severity listed per image in the results
#   STRICT=1               exit 1 when a target is missed or the clean image
#                          has a high/critical finding
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
OUT=bench/out
FW=$OUT/fw
ARCH=${ARCH:-mipsel}
CHECK_ARCHES=${CHECK_ARCHES:-mipsel armhf}
REPEAT=${REPEAT:-1}
STRICT=${STRICT:-0}
LIST_MIN=${LIST_MIN:-medium}
RESULTS=$OUT/firmware-results.md

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/firmware.sh: %s\n' "$*" >&2; exit 1; }

[ -c /dev/null ] || die "/dev/null is not a character device: restore it first (as root: mknod -m 666 /dev/null.new c 1 3 && mv -f /dev/null.new /dev/null)"
mkdir -p "$FW"

# ---- tools from Debian ----
apt_install() {
	[ "$(id -u)" = 0 ] || die "$1 is missing: install the Debian package $1 (apt-get install -y $1)"
	say "installing Debian package $1"
	apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null || die "apt-get install $1 failed"
}
[ -x /usr/bin/time ] || apt_install time
command -v binwalk >/dev/null 2>&1 || apt_install binwalk
# binwalk carves squashfs itself but unpacks it with unsquashfs (or
# sasquatch); without it, "extraction" would stop at the raw image.
command -v unsquashfs >/dev/null 2>&1 || command -v sasquatch >/dev/null 2>&1 || apt_install squashfs-tools
command -v cpio >/dev/null 2>&1 || apt_install cpio

# ---- the real BusyBox, from Debian ----
# deb_for ARCH: path of the busybox-static .deb for ARCH, downloaded into
# $FW when absent (apt-get download needs the architecture in dpkg's list).
deb_for() {
	local a=$1 d
	d=$(ls "$FW"/busybox-static_*_"$a".deb 2>/dev/null | head -1 || true)
	if [ -z "$d" ]; then
		if ! dpkg --print-architecture | grep -qx "$a" && ! dpkg --print-foreign-architectures | grep -qx "$a"; then
			[ "$(id -u)" = 0 ] || die "no $FW/busybox-static_*_$a.deb: as root, run dpkg --add-architecture $a && apt-get update, or put the .deb there"
			say "dpkg --add-architecture $a"
			dpkg --add-architecture "$a"
			apt-get update -qq >/dev/null 2>&1 || true
		fi
		say "apt-get download busybox-static:$a"
		(cd "$FW" && apt-get download -q "busybox-static:$a" >&2) || die "apt-get download busybox-static:$a failed"
		d=$(ls "$FW"/busybox-static_*_"$a".deb 2>/dev/null | head -1 || true)
		[ -n "$d" ] || die "apt-get download left no busybox-static_*_$a.deb in $FW"
	fi
	echo "$d"
}

# ---- builds ----
say "go build doorman, fwimage, fwfindings, jsonstats"
DOORMAN=$FW/doorman
go build -o "$DOORMAN" ./cmd/doorman 2>"$FW/build.log" || die "go build ./cmd/doorman failed (see $FW/build.log)"
go build -o "$FW/fwimage" ./bench/fwimage
go build -o "$FW/fwfindings" ./bench/fwfindings
go build -o "$FW/jsonstats" ./bench/jsonstats

# image ARCH VARIANT: builds (every time: it is deterministic and takes
# seconds) and prints the image path. VARIANT is clean, backdoor,
# initramfs or initramfs-backdoor.
image() {
	local a=$1 v=$2 deb img flags=()
	deb=$(deb_for "$a")
	img=$FW/router-$a-$v.bin
	case $v in
	clean) ;;
	backdoor) flags=(-backdoor) ;;
	initramfs) flags=(-initramfs) ;;
	initramfs-backdoor) flags=(-initramfs -backdoor) ;;
	*) die "unknown variant $v" ;;
	esac
	"$FW/fwimage" "${flags[@]}" -o "$img" "$deb" 2>>"$FW/fwimage.log" || die "fwimage $a $v failed (see $FW/fwimage.log)"
	echo "$img"
}

: >"$FW/fwimage.log"
IMG=$(image "$ARCH" clean)
tail -1 "$FW/fwimage.log" >&2
IMG_BYTES=$(stat -c %s "$IMG")

# ---- measuring ----
declare -A SECS RSS CPU
measure() { # NAME PREP CMD...: PREP (a shell command) runs before each, unmeasured
	local name=$1 prep=$2 best="" i t0 t1 s rc
	shift 2
	for ((i = 0; i < REPEAT; i++)); do
		sh -c "$prep"
		say "$name: $*"
		t0=$(date +%s.%N)
		rc=0
		/usr/bin/time -v -o "$FW/time-$name.txt" "$@" >"$FW/$name.stdout" 2>"$FW/$name.stderr" || rc=$?
		t1=$(date +%s.%N)
		[ -c /dev/null ] || die "after $name, /dev/null is no longer a device"
		[ "$rc" = 0 ] || die "$name exited with $rc (see $FW/$name.stderr)"
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
		if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN {exit !(a < b)}'; then
			best=$s
			RSS[$name]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$FW/time-$name.txt")
			CPU[$name]=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$FW/time-$name.txt")
		fi
	done
	SECS[$name]=$best
}

LOAD0=$(cut -d' ' -f1 /proc/loadavg)
cat "$IMG" >/dev/null # page cache warm for both tools

# doorman: the whole scan (carving, unpacking, every analyzer), report to a file.
DM_JSON=$OUT/fw-doorman.json
measure doorman "rm -f '$DM_JSON'" sh -c 'exec "$1" scan "$2" --format json --quiet --fail-on none >"$3"' sh "$DOORMAN" "$IMG" "$DM_JSON"
read -r DM_FILES DM_BYTES DM_FINDINGS DM_ERRORS < <("$FW/jsonstats" "$DM_JSON")

# binwalk: signature scan and extraction only (-e, one level, no -M), as root
# only with its explicit switch (2.3.x refuses to extract as root otherwise).
BW_DIR=$FW/binwalk-extract
BW=(binwalk)
if [ "$(id -u)" = 0 ]; then
	binwalk --help 2>&1 | grep -q -- '--run-as' || die "binwalk refuses root and has no --run-as: run this script as a normal user"
	BW+=(--run-as=root)
fi
measure binwalk "rm -rf '$BW_DIR' && mkdir -p '$BW_DIR'" "${BW[@]}" -e -C "$BW_DIR" "$IMG"
BW_VERSION=$( (binwalk 2>&1 || true) | awk '/^Binwalk v/ {print $2; exit}')
BW_FILES=$(find "$BW_DIR" -type f | wc -l)
BW_LINKS=$(find "$BW_DIR" -type l | wc -l)
BW_SIGS=$(grep -cE '^[0-9]+ +0x' "$FW/binwalk.stdout" || true)
BW_SHADOW=no
[ -n "$(find "$BW_DIR" -path '*/etc/shadow' -type f -print -quit)" ] && BW_SHADOW=yes

# ---- findings on the clean and backdoored images ----
FINDINGS_TXT=$FW/findings.txt
: >"$FINDINGS_TXT"
CLEAN_HIGH=0
for a in $CHECK_ARCHES; do
	for v in clean backdoor initramfs initramfs-backdoor; do
		img=$(image "$a" "$v")
		rep=$FW/findings-$a-$v.json
		"$DOORMAN" scan "$img" --format json --quiet --fail-on none >"$rep" || die "doorman scan $img failed"
		{
			echo "### $a $v ($(basename "$img"))"
			echo
			echo '```'
			"$FW/fwfindings" -min "$LIST_MIN" "$rep"
			echo '```'
			echo
		} >>"$FINDINGS_TXT"
		if [[ $v != *backdoor ]]; then
			n=$(jq '[.findings[] | select(.severity == "high" or .severity == "critical")] | length' "$rep")
			CLEAN_HIGH=$((CLEAN_HIGH + n))
		fi
	done
done

# ---- table ----
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
{
	echo "# doorman firmware benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load average $LOAD0 before measuring, $(cut -d' ' -f1 /proc/loadavg) after), $(go version | awk '{print $3}'), REPEAT=$REPEAT (fastest run kept)."
	echo
	echo "Image: \`$IMG\`, $(grep -F "$IMG:" "$FW/fwimage.log" | head -1 | sed 's/^fwimage: [^:]*: //')."
	echo "Built by \`bench/fwimage\` from \`$(basename "$(deb_for "$ARCH")")\`."
	echo
	echo "| tool | version | command | seconds | CPU s | peak RSS MiB | what it found |"
	echo "| --- | --- | --- | ---: | ---: | ---: | --- |"
	echo "| doorman | $("$DOORMAN" version 2>/dev/null | head -1 || echo "?") | \`doorman scan IMAGE --format json --quiet --fail-on none\` | ${SECS[doorman]} | ${CPU[doorman]} | $(mib "${RSS[doorman]}") | $DM_FILES entries examined ($(awk -v b="$DM_BYTES" 'BEGIN {printf "%.1f", b / 1048576}') MiB), $DM_FINDINGS findings, $DM_ERRORS errors |"
	echo "| binwalk | $BW_VERSION | \`${BW[*]} -e -C DIR IMAGE\` | ${SECS[binwalk]} | ${CPU[binwalk]} | $(mib "${RSS[binwalk]}") | $BW_SIGS signatures, $BW_FILES files + $BW_LINKS symlinks extracted; root file system unpacked (etc/shadow among them): $BW_SHADOW |"
	echo
	echo "| check | measured | target | result |"
	echo "| --- | ---: | --- | --- |"
	FAILS=0
	check() {
		local r=PASS
		[ "$4" = 1 ] || { r=FAIL; FAILS=$((FAILS + 1)); }
		echo "| $1 | $2 | $3 | $r |"
	}
	check "doorman full scan vs binwalk extraction" "${SECS[doorman]} s vs ${SECS[binwalk]} s ($(awk -v a="${SECS[doorman]}" -v b="${SECS[binwalk]}" 'BEGIN {printf "%.1f", b / a}')× faster)" "doorman faster" "$(awk -v a="${SECS[doorman]}" -v b="${SECS[binwalk]}" 'BEGIN {print (a < b)}')"
	check "doorman peak RSS" "$(mib "${RSS[doorman]}") MiB" "< 512 MiB" "$(awk -v m="${RSS[doorman]}" 'BEGIN {print (m < 512 * 1024)}')"
	check "clean images: high/critical findings" "$CLEAN_HIGH" "0" "$([ "$CLEAN_HIGH" = 0 ] && echo 1 || echo 0)"
	echo
	echo "$FAILS check(s) failed."
	echo
	echo "## Findings on the clean and backdoored images"
	echo
	echo "Each image scanned once more with \`doorman scan IMAGE --format json\`; the first line counts all findings, the"
	echo "lines after it list those at $LIST_MIN and above. The check above counts high and critical on the clean images."
	echo
	cat "$FINDINGS_TXT"
	echo "$FAILS" >"$FW/fails"
} | tee "$RESULTS"

echo "results written to $RESULTS" >&2
if [ "$STRICT" = 1 ] && [ "$(cat "$FW/fails")" != 0 ]; then
	exit 1
fi
