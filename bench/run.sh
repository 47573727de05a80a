#!/usr/bin/env bash
# Throughput and peak memory of `doorman scan` against plain reading (cat),
# gitleaks and yara on one generated corpus. See bench/README.md.
#
#   bench/run.sh                  # 1 GiB corpus in bench/out/corpus (made once)
#   SIZE=200M bench/run.sh        # smaller corpus for development
#
# Environment:
#   SIZE=1G                 corpus size (regenerated when it differs from the
#                           size bench/out/corpus was made with)
#   GITLEAKS_VERSION=v8.30.1  gitleaks module version (go install, exact)
#   TOOLS="cat doorman gitleaks yara"  which tools to measure (cat always runs
#                           once to warm the page cache)
#   REPEAT=1                runs per tool; the fastest is kept
#   RULES_JSON=FILE         rule list for yara instead of `doorman rules --format json`
#   STRICT=1                exit 1 when a target is missed
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
SIZE=${SIZE:-1G}
OUT=bench/out
CORPUS=$OUT/corpus
BIN=$OUT/bin
GITLEAKS_VERSION=${GITLEAKS_VERSION:-v8.30.1}
TOOLS=${TOOLS:-cat doorman gitleaks yara}
REPEAT=${REPEAT:-1}
RULES_JSON=${RULES_JSON:-}
STRICT=${STRICT:-0}

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

[ -c /dev/null ] || die "/dev/null is not a character device: restore it first (as root: mknod -m 666 /dev/null.new c 1 3 && mv -f /dev/null.new /dev/null)"
mkdir -p "$OUT" "$BIN"
rm -f "$OUT/fails" "$OUT/results.md"

# ---- tools from Debian ----
apt_install() {
	[ "$(id -u)" = 0 ] || die "$1 is missing: install the Debian package $1 (apt-get install -y $1)"
	say "installing Debian package $1"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null ||
		die "apt-get install $1 failed"
}
[ -x /usr/bin/time ] || apt_install time
if has_tool yara; then command -v yara >/dev/null 2>&1 || apt_install yara; fi

# ---- gitleaks from the Go module proxy, pinned ----
GITLEAKS=$BIN/gitleaks-$GITLEAKS_VERSION/gitleaks
if has_tool gitleaks && [ ! -x "$GITLEAKS" ]; then
	say "go install github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
	# Outside this module: the install must not touch go.mod.
	(cd / && GOFLAGS= GOBIN="$ROOT/$(dirname "$GITLEAKS")" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION") ||
		die "go install gitleaks@$GITLEAKS_VERSION failed"
fi

# ---- corpus, made once ----
if [ -d "$CORPUS" ] && [ "$(cat "$OUT/corpus.size" 2>/dev/null)" = "$SIZE" ]; then
	say "reusing $CORPUS ($SIZE; delete it to regenerate)"
else
	say "generating a $SIZE corpus in $CORPUS"
	rm -f "$OUT/corpus.size"
	go run ./bench/gencorpus -o "$CORPUS" -size "$SIZE" -force | tee "$OUT/corpus.txt" >&2
	echo "$SIZE" >"$OUT/corpus.size"
fi
CORPUS_BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
CORPUS_FILES=$(find "$CORPUS" -type f | wc -l)

# ---- doorman and helpers ----
go build -o "$BIN/yararules" ./bench/yararules
go build -o "$BIN/jsonstats" ./bench/jsonstats
DOORMAN=$OUT/doorman
if has_tool doorman || { has_tool yara && [ -z "$RULES_JSON" ]; }; then
	say "go build -o $DOORMAN ./cmd/doorman"
	go build -o "$DOORMAN" ./cmd/doorman 2>"$OUT/build.log" ||
		die "go build ./cmd/doorman failed (see $OUT/build.log)"
fi

# ---- yara rules: the same literals as doorman's rules ----
YARA_RULES=$OUT/doorman.yar
if has_tool yara; then
	if [ -n "$RULES_JSON" ]; then
		cp "$RULES_JSON" "$OUT/rules.json"
	elif ! "$DOORMAN" rules --format json >"$OUT/rules.json" 2>"$OUT/rules.err"; then
		die "\`doorman rules --format json\` failed ($(head -c 300 "$OUT/rules.err")): this doorman cannot list its rules as JSON, so the yara rules cannot be generated; pass RULES_JSON=FILE (a JSON array of {\"id\", \"keywords\"}) or drop yara from TOOLS"
	fi
	"$BIN/yararules" "$OUT/rules.json" >"$YARA_RULES" ||
		die "cannot turn $OUT/rules.json into yara rules (see above)"
	yara "$YARA_RULES" /dev/null 2>"$OUT/yara-compile.txt" >/dev/null ||
		die "yara rejects $YARA_RULES: $(head -c 500 "$OUT/yara-compile.txt")"
	[ -s "$OUT/yara-compile.txt" ] && say "yara warnings kept (rules as doorman has them): $(wc -l <"$OUT/yara-compile.txt") lines in $OUT/yara-compile.txt"
fi

# ---- measuring ----
declare -A SECS RSS CPU
# measure NAME CMD...: wall seconds (fastest of REPEAT) and peak RSS (KiB) of
# that run, from GNU time.
measure() {
	local name=$1 best="" bestrss="" bestcpu="" i t0 t1 s rc
	shift
	for ((i = 0; i < REPEAT; i++)); do
		say "$name: $*"
		t0=$(date +%s.%N)
		rc=0
		/usr/bin/time -v -o "$OUT/time-$name.txt" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" || rc=$?
		t1=$(date +%s.%N)
		[ -c /dev/null ] || die "after $name, /dev/null is no longer a device: restore it (as root: mknod -m 666 /dev/null.new c 1 3 && mv -f /dev/null.new /dev/null)"
		[ "$rc" = 0 ] || die "$name exited with $rc (see $OUT/$name.stderr and $OUT/time-$name.txt)"
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
		if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN {exit !(a < b)}'; then
			best=$s
			bestrss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time-$name.txt")
			bestcpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$OUT/time-$name.txt")
		fi
	done
	SECS[$name]=$best
	RSS[$name]=$bestrss
	CPU[$name]=$bestcpu
}

LOAD0=$(cut -d' ' -f1 /proc/loadavg)
CATCMD=(sh -c 'find "$1" -type f -print0 | xargs -0 cat >/dev/null' sh "$CORPUS")
say "warming the page cache (cat, not measured)"
"${CATCMD[@]}"
measure cat "${CATCMD[@]}"

DM_BYTES="" DM_FILES="" DM_FINDINGS="" DM_ERRORS="" GL_FINDINGS="" YARA_FINDINGS=""
if has_tool doorman; then
	# The report goes to standard output, redirected to /dev/null, rather than
	# "-o /dev/null": -o writes FILE.doorman-tmp and renames it over FILE, which
	# as root would replace the /dev/null device with a regular file.
	measure doorman sh -c 'exec "$1" scan "$2" --format json --quiet --fail-on none >/dev/null' sh "$DOORMAN" "$CORPUS"
	say "doorman again, writing $OUT/doorman.json for its stats (not measured)"
	"$DOORMAN" scan "$CORPUS" --format json -o "$OUT/doorman.json" --quiet --fail-on none ||
		die "doorman scan with a JSON report failed"
	read -r DM_FILES DM_BYTES DM_FINDINGS DM_ERRORS < <("$BIN/jsonstats" "$OUT/doorman.json")
fi
if has_tool gitleaks; then
	# The report goes to a real file, never "--report-path /dev/null": gitleaks
	# checks that the path is writable by creating and then *removing* it, which
	# as root deletes the /dev/null device (and v8.30 rejects the path anyway:
	# no extension, so no report format).
	if "$GITLEAKS" dir --help >/dev/null 2>&1; then
		measure gitleaks "$GITLEAKS" dir "$CORPUS" --no-banner --report-format json --report-path "$OUT/gitleaks.json" --exit-code 0
	else
		measure gitleaks "$GITLEAKS" detect --no-git --source "$CORPUS" --no-banner --report-format json --report-path "$OUT/gitleaks.json" --exit-code 0
	fi
	GL_FINDINGS=$(grep -c '"RuleID"' "$OUT/gitleaks.json" || true)
fi
if has_tool yara; then
	# Matches go to a file (a few KB) so that they can be counted.
	measure yara sh -c 'exec yara -r -p 2 "$1" "$2" >"$3"' sh "$YARA_RULES" "$CORPUS" "$OUT/yara.txt"
	YARA_FINDINGS=$(wc -l <"$OUT/yara.txt")
fi

# ---- table ----
mbs() { awk -v b="$CORPUS_BYTES" -v s="$1" 'BEGIN {printf "%.1f", b / 1e6 / s}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; } # throughput ratio from seconds a (doorman), b (other)

{
	echo "# doorman throughput benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load average $LOAD0 before measuring, $(cut -d' ' -f1 /proc/loadavg) after), $(go version | awk '{print $3}'), REPEAT=$REPEAT (fastest run kept)."
	echo
	printf 'Corpus: `%s`, %d files, %d bytes (%.1f MiB), made with SIZE=%s.' "$CORPUS" "$CORPUS_FILES" "$CORPUS_BYTES" "$(awk -v b="$CORPUS_BYTES" 'BEGIN {print b / 1048576}')" "$SIZE"
	if [ -n "$DM_BYTES" ]; then
		printf ' doorman examined %d entries, %d bytes (%.1f MiB: archive members, decompressed streams and carved images count too; stats.bytes of the JSON report), with %d findings and %d errors.' \
			"$DM_FILES" "$DM_BYTES" "$(awk -v b="$DM_BYTES" 'BEGIN {print b / 1048576}')" "$DM_FINDINGS" "$DM_ERRORS"
	fi
	echo
	echo
	echo "MB/s is corpus bytes (10^6) per wall-clock second for every tool; CPU s is user + system time (all cores),"
	echo "which moves less than wall time when other work shares the machine."
	echo
	echo "| tool | version | seconds | MB/s | CPU s | peak RSS MiB | found |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	for t in cat doorman gitleaks yara; do
		[ -n "${SECS[$t]:-}" ] || continue
		case $t in
		cat) v="find \| xargs cat" f="" ;;
		doorman) v=$("$DOORMAN" version 2>/dev/null | head -1 || echo "?") f="$DM_FINDINGS findings" ;;
		gitleaks) v=$GITLEAKS_VERSION f="$GL_FINDINGS leaks" ;;
		yara) v=$(yara --version) f="$YARA_FINDINGS rule matches" ;;
		esac
		echo "| $t | $v | ${SECS[$t]} | $(mbs "${SECS[$t]}") | ${CPU[$t]} | $(mib "${RSS[$t]}") | $f |"
	done
	if [ -n "${SECS[doorman]:-}" ]; then
		echo
		echo "| check | measured | target | result |"
		echo "| --- | ---: | --- | --- |"
		FAILS=0
		check() { # label measured target ok
			local r=PASS
			[ "$4" = 1 ] || { r=FAIL; FAILS=$((FAILS + 1)); }
			echo "| $1 | $2 | $3 | $r |"
		}
		d=${SECS[doorman]}
		if [ -n "${SECS[gitleaks]:-}" ]; then
			r=$(ratio "$d" "${SECS[gitleaks]}")
			check "doorman/gitleaks throughput" "${r}×" "≥ 10×" "$(awk -v r="$r" 'BEGIN {print (r >= 10)}')"
		fi
		if [ -n "${SECS[yara]:-}" ]; then
			r=$(ratio "$d" "${SECS[yara]}")
			check "doorman/yara throughput" "${r}×" "≥ 1×" "$(awk -v r="$r" 'BEGIN {print (r >= 1)}')"
		fi
		r=$(ratio "$d" "${SECS[cat]}")
		check "doorman/cat throughput" "${r}×" "≥ 0.5× (within 2× of plain reading)" "$(awk -v r="$r" 'BEGIN {print (r >= 0.5)}')"
		m=$(mib "${RSS[doorman]}")
		check "doorman peak RSS" "$m MiB" "< 512 MiB" "$(awk -v m="${RSS[doorman]}" 'BEGIN {print (m < 512 * 1024)}')"
		echo
		echo "$FAILS target(s) missed."
		echo "$FAILS" >"$OUT/fails"
	fi
} | tee "$OUT/results.md"

echo "results written to $OUT/results.md" >&2
if [ "$STRICT" = 1 ] && [ "$(cat "$OUT/fails" 2>/dev/null || echo 0)" != 0 ]; then
	exit 1
fi
