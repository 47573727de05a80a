package verifysource

import (
	"regexp"
	"strings"
)

// A payload pattern is a shell construct that extracts or runs hidden data
// at build time. Each is specific enough that no pristine autoconf,
// automake, gettext, libtool or gnulib file uses it (a test checks the
// whole table's source folders), and general enough to catch the xz-utils
// 5.6 stages under other names.
type payloadPattern struct {
	re   *regexp.Regexp
	what string
}

var payloadPatterns = []payloadPattern{
	// xz: sed "r\n" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d
	{regexp.MustCompile(`\bsed\s+(["'])r\\n(["'])`), `sed "r\n" copies a file verbatim into a pipeline`},
	// xz: gl_path_map='tr "\t \-_" " \t_\-"' undoes the "corruption" of the test file
	{regexp.MustCompile(`\btr\s+(["'])[^"']*\\t[^"']*(["'])\s+(["'])[^"']*\\t`), "tr swaps tabs and other bytes back (un-corrupting hidden data)"},
	// xz stage 2: (head -c +1024 >/dev/null) && head -c +2048 && ...
	{regexp.MustCompile(`\bhead\s+-c\s*\+?[0-9]+\s*>\s*/dev/null`), "head -c skips bytes to carve data out of a file"},
	{regexp.MustCompile(`\b(xz|unxz|xzcat|lzma|unlzma|lzcat|gzip|gunzip|zcat|bzip2|bunzip2|bzcat|zstd|unzstd|zstdcat)\b[^|;&]*\|\s*(/bin/|/usr/bin/)?(ba|da|k|z)?sh\b`), "decompressed data is piped into a shell"},
	{regexp.MustCompile(`\|\s*(/bin/|/usr/bin/)?(ba|da|k|z)?sh\s*(-s)?\s*(\)|$|;|&|2>)`), "data is piped into a shell"},
	// the decompressor is hidden in a variable: $gl_[$1]_prefix -d
	{regexp.MustCompile(`\|\s*\$\{?[A-Za-z_][A-Za-z0-9_]*(\[\$1\][A-Za-z0-9_]*)?\}?\s+-d\b`), "a command chosen through a variable decompresses a pipeline (-d)"},
	{regexp.MustCompile(`\b(xz|lzma|unxz|xzcat|gzip|gunzip|zcat|bzip2|bunzip2|zstd)\b[^|;&]*\s-[a-zA-Z]*d[a-zA-Z]*\b[^|;&]*\btests?/`), "a test file is decompressed by a build script"},
	{regexp.MustCompile(`\bgrep\s+-[a-zA-Z]*a[a-zA-Z]*\s+[^|;&]*["']?#\{[0-9]`), "grep -a searches binary files for a marker"},
}

// payloadLine returns what is suspicious about one line, or "".
func payloadLine(line string) string {
	if len(line) > 8192 { // regexps are linear, but there is no need to pay for megabyte lines
		line = line[:8192]
	}
	// Every pattern needs one of these; most lines have none, which keeps
	// a pass over ltmain.sh cheap.
	if !strings.ContainsAny(line, "|") && !strings.Contains(line, "tr ") && !strings.Contains(line, "head") && !strings.Contains(line, "sed") && !strings.Contains(line, "grep") {
		return ""
	}
	for _, p := range payloadPatterns {
		if p.re.MatchString(line) {
			return p.what
		}
	}
	return ""
}

// payloadHit is a suspicious line of a file.
type payloadHit struct {
	line int // 1-based
	text string
	what string
}

// payloadLines returns the suspicious lines of content, at most limit. When
// only is non-nil, only lines whose hash is in it are looked at (the lines
// a release added to a file).
func payloadLines(b []byte, only map[uint32]bool, limit int) []payloadHit {
	var hits []payloadHit
	for i, l := range Lines(b) {
		if only != nil && !only[LineHash(l)] {
			continue
		}
		if w := payloadLine(l); w != "" {
			hits = append(hits, payloadHit{line: i + 1, text: l, what: w})
			if len(hits) >= limit {
				break
			}
		}
	}
	return hits
}
