package lockfile

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// GoModCache, when set (to what `go env GOMODCACHE` prints), makes the
// analyzer hash each module zip found in the cache's download folder and
// compare it with go.sum: a mismatch means the code that builds is not
// the code the checksum database vouched for. Empty (the default) turns
// the check off; the CLI sets it from a flag. Set it before a scan, not
// during one.
var GoModCache string

// SumDB, when set, is asked for each go.sum line's hash (doorman scan
// --online sets it to the Go checksum database through the module proxy):
// a different hash means this go.sum vouches for code other than what
// everybody else downloads. Set it before a scan, not during one.
var SumDB interface {
	Lookup(path, version string) ([]string, error)
}

// maxSumDBLookups bounds the database questions asked for one go.sum.
const maxSumDBLookups = 2000

// maxZip bounds the module zips hashed: the Go command refuses zips above
// 500 MiB, so a larger file in the cache is not a module zip.
const maxZip = 500 << 20

// checkGoSum reads go.sum: each line is "module version h1:base64", with
// "/go.mod" after the version for the go.mod file's own hash.
func checkGoSum(r *reporter, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	lookups := 0
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 || !validH1(f[2]) || module.CheckPath(f[0]) != nil {
			r.report(ruleGoSumBad, finding.DependencyRisk, finding.Medium, finding.ConfidenceHigh,
				"Malformed go.sum line",
				"go.sum line is not \"module version h1:<base64 sha256>\": the go command would reject it, so it was not written by it",
				atLine(ln), line)
			continue
		}
		mod, ver, sum := f[0], f[1], f[2]
		r.checkName(pkgname.Go, mod, atLine(ln))
		if SumDB != nil && lookups < maxSumDBLookups {
			lookups++
			checkSumDB(r, mod, ver, sum, ln)
		}
		if GoModCache == "" || strings.HasSuffix(ver, "/go.mod") {
			continue
		}
		got, ok := cachedZipHash(mod, ver)
		if ok && got != sum {
			r.report(ruleGoSumMis, finding.DependencyRisk, finding.Critical, finding.ConfidenceHigh,
				"Module in the cache does not match go.sum",
				fmt.Sprintf("%s %s in the module cache hashes to %s, go.sum says %s: the cached code was changed after it was verified", mod, ver, got, sum),
				atLine(ln), mod+" "+ver+" "+sum,
				"https://go.dev/ref/mod#authenticating")
		}
	}
}

// validH1 reports whether s is "h1:" and a base64 SHA-256.
func validH1(s string) bool {
	b64, ok := strings.CutPrefix(s, "h1:")
	if !ok {
		return false
	}
	d, err := base64.StdEncoding.DecodeString(b64)
	return err == nil && len(d) == 32
}

// cachedZipHash hashes the module's zip in GoModCache, if it is there.
func cachedZipHash(mod, ver string) (string, bool) {
	em, err1 := module.EscapePath(mod)
	ev, err2 := module.EscapeVersion(ver)
	if err1 != nil || err2 != nil {
		return "", false
	}
	zip := filepath.Join(GoModCache, "cache", "download", filepath.FromSlash(em), "@v", ev+".zip")
	st, err := os.Stat(zip)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxZip {
		return "", false
	}
	h, err := dirhash.HashZip(zip, dirhash.Hash1)
	if err != nil {
		return "", false
	}
	return h, true
}

// checkSumDB compares one go.sum line with the checksum database's. Modules
// the database does not know (private ones) and unreachable networks say
// nothing: the check can only accuse, never clear.
func checkSumDB(r *reporter, mod, ver, sum string, ln int) {
	lines, err := SumDB.Lookup(mod, ver)
	if err != nil {
		return
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 3 || f[0] != mod || f[1] != ver {
			continue
		}
		if f[2] != sum {
			r.report(ruleGoSumDB, finding.DependencyRisk, finding.Critical, finding.ConfidenceHigh,
				"go.sum differs from the Go checksum database",
				fmt.Sprintf("go.sum says %s %s is %s, the checksum database says %s: this go.sum vouches for code other than what everybody else downloads", mod, ver, sum, f[2]),
				atLine(ln), mod+" "+ver+" "+sum,
				"https://go.dev/ref/mod#checksum-database")
		}
		return
	}
}
