package buildscript

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// Primitives of the xz-utils backdoor's extraction chain (see refXZ): the
// m4 macro ran `sed "r\n" FILE | eval $gl_path_map | $prefix -d` where
// gl_path_map was `tr "\t \-_" " \t_\-"`, found its input with
// `grep -aErls`, and the stage it unpacked sliced bytes with head -c and
// tail -c and decompressed with xz -dc. Each alone is ordinary; two on one
// command together with eval, a pipe into a shell, or a test data file is
// not something a build needs.
var extractors = []struct {
	name string
	re   *regexp.Regexp
}{
	{"sed r\\n", regexp.MustCompile(`sed\s+\\?["']r\\n\\?["']`)},
	{"tr of whitespace", regexp.MustCompile(`\btr\s+\\?["'][^"']*\\t[^"']*\\?["']\s+\\?["']`)},
	{"head -c", regexp.MustCompile(`\bhead\s+-c\s*\+?[0-9$]`)},
	{"tail -c", regexp.MustCompile(`\btail\s+-c\s*\+?[0-9$]`)},
	{"dd skip", regexp.MustCompile(`\bdd\b[^|;]*\bskip=`)},
	{"decompress", regexp.MustCompile(`\b(?:xz|lzma|lzip|zstd|gzip|bzip2)\s+(?:-[A-Za-z]*\s+[^|;]*)?-[A-Za-z]*d|\b(?:unxz|unlzma|xzcat|lzcat)\b|\bxz\s+--decompress|\|\s*\$\{?[A-Za-z_][A-Za-z0-9_\[\]$]*\}?\s+-d\b`)},
	{"binary grep", regexp.MustCompile(`\bgrep\s+-a[A-Za-z]*[lr][A-Za-z]*\b`)},
}

var (
	reRun      = regexp.MustCompile(`\beval\b|\|\s*(?:/bin/|/usr/bin/)?(?:ba|da|z|k)?sh\b|\bsh\s+-c\b|\bsource\s+/dev/stdin|\.\s+/dev/stdin`)
	reDataFile = regexp.MustCompile(`tests?/files/|testdata/|tests?/data/|\.(?:xz|lzma|lz|bin|dat)\b|\bsrcdir\b|top_srcdir`)
	// decoded content run by a shell: $(echo … | base64 -d) or
	// `… | base64 --decode | sh`.
	reB64Run  = regexp.MustCompile(`base64\s+(?:-d|--decode|-D)\b`)
	reEscapes = regexp.MustCompile(`(?:\\x[0-9a-fA-F]{2}|\\[0-7]{3}){24,}`)
	reLongB64 = regexp.MustCompile(`[A-Za-z0-9+/]{160,}={0,2}`)
	// curl | sh at build time.
	reFetch   = regexp.MustCompile(`\b(?:curl|wget|fetch)\b`)
	rePipeSh  = regexp.MustCompile(`\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:/bin/|/usr/bin/(?:env\s+)?)?(?:ba|da|z|k)?sh\b|\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?python[0-9.]*\b`)
	reVerify  = regexp.MustCompile(`sha(?:1|224|256|384|512)sum\b[^\n]*(?:-c\b|--check)|shasum\b[^\n]*(?:-c\b|--check)|gpg2?\s+(?:--batch\s+)?--verify|minisign\s+-V|cosign\s+verify|signify\s+-V|EXPECTED_HASH|URL_HASH|sha256sum\s*\)|\bcmp\b`)
	reDLFile  = regexp.MustCompile(`\b(?:curl\b[^|;&\n]*\s-o\s*|wget\b[^|;&\n]*\s-O\s*)([^\s;&|]+)`)
	reComment = regexp.MustCompile(`^\s*(?:#|dnl\b)`)
	// Make's message functions and echo print text: a curl | sh quoted in
	// a hint ("run: curl … | sh") is advice to a person, not a command.
	reMessage = regexp.MustCompile(`^\s*(?:\$\((?:warning|info|error)\b|@?(?:echo|printf)\s+(?:"[^"]*"|'[^']*')\s*$)`)
	reURL     = regexp.MustCompile(`\b(https?)://([^/\s"'$)]+)`)
)

// fetchSeverity grades a download run unchecked at build time by its
// source, as shbehavior does: over HTTPS from a named host (an installer
// such as golangci-lint's install.sh) the host's owner decides what runs:
// medium; over plain HTTP, from a bare address, or from a URL the line
// does not show: high.
func fetchSeverity(t string) (finding.Severity, string) {
	m := reURL.FindStringSubmatch(t)
	if m == nil || m[1] != "https" || strings.Trim(m[2], "0123456789.:[]") == "" {
		return finding.High, ""
	}
	return finding.Medium, " (over HTTPS: whoever controls " + m[2] + " decides what runs)"
}

// checkShell applies the shell rules to every logical line of a build file.
func checkShell(r *reporter, data []byte) {
	lines := logicalLines(data)
	verified := reVerify.Match(data)
	var downloaded []string
	for _, ll := range lines {
		t := ll.text
		if reComment.MatchString(t) || reMessage.MatchString(t) {
			continue
		}
		checkExtraction(r, ll)
		checkObfuscation(r, ll)
		if rePipeSh.MatchString(t) {
			sev, why := fetchSeverity(t)
			r.report(ruleCurlSh, finding.DownloadExecute, sev, finding.ConfidenceHigh,
				"Build downloads a script and runs it",
				"the build pipes a download straight into a shell: whoever controls the server (or the network path) runs code on every build machine"+why,
				ll.line, t)
			continue
		}
		if m := reDLFile.FindStringSubmatch(t); m != nil && m[1] != "-" {
			downloaded = append(downloaded, strings.Trim(m[1], `"'`))
		}
		if !verified {
			for _, f := range downloaded {
				if runsFile(t, f) {
					r.report(ruleCurlSh, finding.DownloadExecute, finding.High, finding.ConfidenceMedium,
						"Build runs a downloaded file without checking it",
						fmt.Sprintf("the build downloads %s and runs it with no checksum or signature check anywhere in the file", f),
						ll.line, t)
					break
				}
			}
		}
	}
}

// runsFile reports whether a command runs the file f.
func runsFile(t, f string) bool {
	if f == "" || !strings.Contains(t, f) || reFetch.MatchString(t) {
		return false
	}
	for _, p := range []string{"sh " + f, "bash " + f, "./" + strings.TrimPrefix(f, "./"), "source " + f, ". " + f, "python " + f, "python3 " + f, "perl " + f} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// extractHints are words one of the extractors needs on the line: a cheap
// test before running a dozen regular expressions on every line of a
// multi-megabyte configure script.
var extractHints = []string{"sed", "tr ", "tr\t", "head", "tail", "dd", "xz", "lz", "zstd", "gzip", "bzip2", "grep", "-d"}

func checkExtraction(r *reporter, ll logicalLine) {
	hinted := false
	for _, h := range extractHints {
		if strings.Contains(ll.text, h) {
			hinted = true
			break
		}
	}
	if !hinted {
		return
	}
	if strings.Contains(ll.text, "am__untar") || strings.Contains(ll.text, "DIST_ARCHIVES") {
		// automake's distcheck rule unpacks the release it just built
		// (eval GZIP= gzip -dc $(distdir).tar.gz | $(am__untar)): every
		// automake Makefile.in has it.
		return
	}
	var found []string
	decompress := false
	for _, x := range extractors {
		if x.re.MatchString(ll.text) {
			found = append(found, x.name)
			decompress = decompress || x.name == "decompress"
		}
	}
	if len(found) == 0 {
		return
	}
	runs := reRun.MatchString(ll.text)
	data := reDataFile.MatchString(ll.text)
	// One primitive on a line that evals a test file's bytes is enough;
	// otherwise two primitives and either eval or a data file.
	if !((len(found) >= 2 && (runs || data)) || (len(found) >= 1 && runs && data)) {
		return
	}
	sev := finding.High
	if runs && (decompress || len(found) >= 3) {
		sev = finding.Critical
	}
	r.report(ruleExtract, finding.BuildTampering, sev, finding.ConfidenceHigh,
		"Build file extracts hidden code from data",
		fmt.Sprintf("one build command combines %s%s%s: the xz-utils 5.6 backdoor was unpacked from a test file this way", strings.Join(found, ", "), cond(runs, " with eval/shell execution", ""), cond(data, " on a data file", "")),
		ll.line, ll.text, refXZ, refXZGist)
}

func checkObfuscation(r *reporter, ll logicalLine) {
	t := ll.text
	if !reRun.MatchString(t) && !strings.Contains(t, "printf") {
		return
	}
	var why string
	switch {
	case reB64Run.MatchString(t) && reRun.MatchString(t):
		why = "base64-decoded text is run by the shell"
	case reEscapes.MatchString(t) && reRun.MatchString(t):
		why = "a long run of hex or octal escapes is run by the shell"
	case reLongB64.MatchString(t) && reRun.MatchString(t):
		why = "a long encoded blob is run by the shell"
	default:
		return
	}
	r.report(ruleObfus, finding.ObfuscatedPayload, finding.High, finding.ConfidenceMedium,
		"Obfuscated shell in a build file", why+": a build has nothing to hide from its reader",
		ll.line, t, refXZ)
}

func cond(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
