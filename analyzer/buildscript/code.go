package buildscript

import (
	"regexp"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

var (
	reRsFetch  = regexp.MustCompile(`\b(?:reqwest|ureq|attohttpc|curl::easy|minreq|isahc|ehttp)\b|Command::new\(\s*"(?:curl|wget)"`)
	reRsExec   = regexp.MustCompile(`Command::new\(`)
	reRsVerify = regexp.MustCompile(`(?i)\bsha2\b|Sha256|sha256|blake3|verify`)
	rePyFetch  = regexp.MustCompile(`\burllib\.request\b|\burlopen\s*\(|\burlretrieve\s*\(|\brequests\.get\s*\(|\bhttp\.client\b|\bcurl\b|\bwget\b`)
	rePyExec   = regexp.MustCompile(`\bexec\s*\(|\beval\s*\(|\bsubprocess\.|\bos\.system\s*\(|\bos\.popen\s*\(`)
	rePyVerify = regexp.MustCompile(`hashlib\.sha(?:256|384|512)|\.hexdigest\(\)\s*[!=]=|gpg`)
)

// checkBuildRS reports a Cargo build script that downloads and runs a
// program: build.rs runs on every `cargo build` of every dependent.
func checkBuildRS(r *reporter, data []byte) {
	s := string(data)
	f := reRsFetch.FindStringIndex(s)
	if f == nil {
		return
	}
	// A Command that runs curl or wget is the fetch, not a run of what
	// was fetched: count only the others.
	runs := 0
	for _, e := range reRsExec.FindAllStringIndex(s, -1) {
		if !reRsFetch.MatchString(s[e[0]:min(len(s), e[1]+12)]) {
			runs++
		}
	}
	if runs == 0 || reRsVerify.MatchString(s) {
		return
	}
	line := strings.Count(s[:f[0]], "\n") + 1
	r.report(ruleBuildRS, finding.DownloadExecute, finding.High, finding.ConfidenceMedium,
		"build.rs downloads and runs code",
		"the Cargo build script fetches from the network and starts a process, with no hash check: it runs on every build of every crate that depends on this one",
		line, firstLine(s[f[0]:]))
}

// checkSetupPy reports a setup.py that fetches code and executes it:
// setup.py runs at install time, as the installing user.
func checkSetupPy(r *reporter, data []byte) {
	s := string(data)
	f := rePyFetch.FindStringIndex(s)
	if f == nil || !rePyExec.MatchString(s) || rePyVerify.MatchString(s) {
		return
	}
	line := strings.Count(s[:f[0]], "\n") + 1
	r.report(ruleSetupPy, finding.DownloadExecute, finding.High, finding.ConfidenceMedium,
		"setup.py downloads and runs code at install time",
		"setup.py fetches from the network and executes (exec, eval, subprocess or os.system) with no hash check: every `pip install` runs what the server sends",
		line, firstLine(s[f[0]:]))
}
