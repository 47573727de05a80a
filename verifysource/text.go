package verifysource

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"strings"
)

// Normalize returns content with CRLF line endings turned into LF, so that
// a macro file checked out on Windows still matches its pristine version.
func Normalize(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// ContentSHA256 is the hash the pristine table keys on: SHA-256 of the
// content with line endings normalised.
func ContentSHA256(b []byte) string {
	s := sha256.Sum256(Normalize(b))
	return hex.EncodeToString(s[:])
}

// LineHash hashes one line for the pristine table's line sets. Leading and
// trailing white space is ignored so that re-indentation is not counted as
// a change; 32 bits are plenty to tell a few thousand lines apart.
func LineHash(line string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(strings.TrimSpace(line)))
	return h.Sum32()
}

// maxLines bounds the lines examined per file: the table's files have at
// most a few tens of thousands, and a crafted file must not cost more.
const maxLines = 200_000

// Lines splits content into lines without their line endings, at most
// maxLines of them.
func Lines(b []byte) []string {
	s := string(Normalize(b))
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	ls := strings.SplitN(s, "\n", maxLines+1)
	if len(ls) > maxLines {
		ls = ls[:maxLines]
	}
	return ls
}

// LineSet returns the distinct line hashes of content, blank lines left
// out (they say nothing about which version a file is).
func LineSet(b []byte) map[uint32]bool {
	set := map[uint32]bool{}
	for _, l := range Lines(b) {
		if strings.TrimSpace(l) != "" {
			set[LineHash(l)] = true
		}
	}
	return set
}

// Version reads the version a build file claims: the "# serial N" line of
// an m4 macro file (what aclocal compares to decide which copy wins), or
// the scriptversion=/timestamp= line of a build-aux helper. It returns ""
// when there is none. Only the first 64 lines are read, like aclocal's
// convention that the serial line comes first.
func Version(b []byte) string {
	for i, l := range Lines(b) {
		if i >= 64 {
			break
		}
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "#"):
			t = strings.TrimSpace(t[1:])
		case strings.HasPrefix(t, "dnl "):
			t = strings.TrimSpace(t[4:])
		case strings.HasPrefix(t, "scriptversion="), strings.HasPrefix(t, "timestamp="):
			v := t[strings.IndexByte(t, '=')+1:]
			v = strings.Trim(strings.Fields(v + " ")[0], "'\";")
			return clip(v, 40)
		default:
			continue
		}
		// "# serial 3" or, as gettext writes it, "# po.m4 serial 31 (gettext-0.21)"
		if f := strings.Fields(t); len(f) > 2 && f[1] == "serial" && strings.HasSuffix(f[0], ".m4") {
			t = strings.Join(f[1:], " ")
		}
		if rest, ok := strings.CutPrefix(t, "serial"); ok {
			if f := strings.Fields(rest); len(f) > 0 && isDotted(f[0]) {
				return clip(f[0], 40)
			}
		}
	}
	return ""
}

func isDotted(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// CompareVersions orders two dotted serials ("30" > "3", "1.10" > "1.9").
// It never overflows: digit runs are compared by length, then lexically.
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y string
		if i < len(as) {
			x = strings.TrimLeft(as[i], "0")
		}
		if i < len(bs) {
			y = strings.TrimLeft(bs[i], "0")
		}
		if len(x) != len(y) {
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// clip shortens s to at most n bytes, for evidence and messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut-- // do not split a UTF-8 sequence
	}
	return s[:cut] + "…"
}
