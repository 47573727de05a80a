package buildscript

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

var (
	reCMakeCall = regexp.MustCompile(`(?is)\b(ExternalProject_Add|FetchContent_Declare|file)\s*\(`)
	reCMakeURL  = regexp.MustCompile(`(?i)\bURL\s+"?(https?|ftp)://`)
	reCMakeDL   = regexp.MustCompile(`(?i)^\s*DOWNLOAD\b`)
	reCMakeHash = regexp.MustCompile(`(?i)\b(URL_HASH|URL_MD5|EXPECTED_HASH|EXPECTED_MD5)\b`)
)

// maxCMakeCall bounds how far a call's arguments are read.
const maxCMakeCall = 16 << 10

// checkCMake reports downloads in CMake files that do not pin a hash:
// ExternalProject_Add or FetchContent_Declare with a URL and no URL_HASH,
// and file(DOWNLOAD …) without EXPECTED_HASH. Git sources are left to
// the reader: a commit hash pins them.
func checkCMake(r *reporter, data []byte) {
	s := string(data)
	for _, m := range reCMakeCall.FindAllStringSubmatchIndex(s, -1) {
		fn := strings.ToLower(s[m[2]:m[3]])
		args := callArgs(s[m[1]:])
		switch fn {
		case "file":
			if !reCMakeDL.MatchString(args) || reCMakeHash.MatchString(args) {
				continue
			}
		default:
			if !reCMakeURL.MatchString(args) || reCMakeHash.MatchString(args) {
				continue
			}
		}
		line := strings.Count(s[:m[0]], "\n") + 1
		sev := finding.Medium
		if strings.Contains(strings.ToLower(args), "http://") {
			sev = finding.High
		}
		r.report(ruleCMakeDL, finding.DownloadExecute, sev, finding.ConfidenceHigh,
			"CMake downloads code without a hash",
			fmt.Sprintf("%s fetches a URL at build time with no URL_HASH/EXPECTED_HASH: the build compiles whatever the server sends", s[m[2]:m[3]]),
			line, firstLine(s[m[0]:]))
	}
}

// callArgs returns a CMake call's arguments up to the matching parenthesis.
func callArgs(s string) string {
	depth := 1
	for i := 0; i < len(s) && i < maxCMakeCall; i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return s[:i]
			}
		}
	}
	return s[:min(len(s), maxCMakeCall)]
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
