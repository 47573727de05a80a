package lockfile

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// digestLen is the decoded length of each Subresource Integrity algorithm
// npm, yarn and pnpm write.
var digestLen = map[string]int{"sha1": 20, "sha256": 32, "sha384": 48, "sha512": 64}

// validSRI reports whether an integrity field ("sha512-<base64>", possibly
// several separated by spaces) is well formed: a known algorithm and a
// base64 digest of exactly that algorithm's length. A truncated or padded
// digest can never match any tarball, so it means the file was edited by
// hand or by a tool that wanted the check to be skipped.
func validSRI(s string) bool {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		alg, b64, ok := strings.Cut(f, "-")
		if !ok {
			return false
		}
		if i := strings.IndexByte(b64, '?'); i >= 0 { // SRI options
			b64 = b64[:i]
		}
		n, known := digestLen[alg]
		if !known {
			return false
		}
		d, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(d) != n {
			return false
		}
	}
	return true
}

// validHex reports whether s is a hex digest of n bytes.
func validHex(s string, n int) bool {
	d, err := hex.DecodeString(s)
	return err == nil && len(d) == n
}
