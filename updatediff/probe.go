package updatediff

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
)

// Inventory keys written by the probe.
const (
	InvFiles     = "files"
	InvPasswords = "password_digests"
)

// Fact kinds of the probe.
const (
	factFile     = "updatediff-file"
	factPassword = "updatediff-password"
)

// File is one regular file as the probe saw it. Mode is the Unix
// permission bits in octal with setuid (4000), setgid (2000) and sticky
// (1000) ("4755"), as people and ls write them.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	Mode   string `json:"mode"`
	SHA256 string `json:"sha256,omitempty"`
	// Exec marks an executable (ELF, PE, Mach-O): Compare lists them as
	// executables even when no analyzer wrote a "binaries" inventory.
	Exec bool `json:"exec,omitempty"`
}

// PasswordDigest stands for one account's password hash: a salted SHA-256
// of the hash, cut to 16 hex digits. It tells whether the hash changed
// between versions without putting any part of the hash in a report.
type PasswordDigest struct {
	Path   string `json:"path"`
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// maxAccountFile bounds the password files the probe parses.
const maxAccountFile = 1 << 20

// Probe is the analyzer Run adds to both scans. It reports nothing; its
// final pass puts every regular file's size, mode and SHA-256 under the
// inventory key "files" and a digest of each password hash under
// "password_digests". Containers are not hashed (their members are), so
// the cost is one SHA-256 pass over content the keyword scan reads anyway.
var Probe = &analyzer.Analyzer{
	Name:   "updatediff-probe",
	Doc:    "records each file's size, mode and SHA-256 and a digest of each password hash, for doorman diff",
	Wants:  func(e *artifact.Entry) bool { return e.IsRegular() && leaf(e.Kind) },
	Run:    probeRun,
	Finish: probeFinish,
}

// leaf reports whether an entry is a file rather than a container that the
// walk opens (whose members are recorded one by one).
func leaf(k artifact.Kind) bool {
	f := artifact.FormatOf(k)
	return f == nil || f.Open == nil
}

func probeRun(p *analyzer.Pass) {
	e := p.Entry
	p.AddFact(factFile, File{Size: p.Size(), Mode: unixMode(e.Mode), SHA256: contentHash(p), Exec: isExecutable(e.Kind, p.ReadAt(0, 4))})
	switch e.Base() {
	case "shadow", "passwd", "master.passwd":
		if p.Size() > 0 && p.Size() <= maxAccountFile {
			for _, d := range passwordDigests(p.Data()) {
				p.AddFact(factPassword, d)
			}
		}
	}
}

// isExecutable recognises ELF by the walk's kind and PE and Mach-O by
// their magic (the walk has no kind for them).
func isExecutable(k artifact.Kind, head []byte) bool {
	if k == "elf" {
		return true
	}
	if len(head) < 4 {
		return false
	}
	if head[0] == 'M' && head[1] == 'Z' {
		return true
	}
	switch string(head) {
	case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe":
		return true
	}
	return false
}

// contentHash hashes the entry's content, from memory when the engine
// already holds it, else streamed so a large file is not loaded whole.
func contentHash(p *analyzer.Pass) string {
	h := sha256.New()
	if d := p.Data(); d != nil {
		h.Write(d)
	} else if src := p.Source(); src != nil {
		if _, err := io.Copy(h, io.NewSectionReader(src, 0, src.Size())); err != nil {
			return "" // unreadable content: no hash rather than a wrong one
		}
	} else {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// passwordDigests reads "name:hash:..." lines (shadow, passwd,
// master.passwd) and digests each hash that can be a password: empty
// fields, "x" and "*" placeholders are skipped (the accounts inventory
// already says empty or locked).
func passwordDigests(data []byte) []PasswordDigest {
	var out []PasswordDigest
	for _, line := range bytes.Split(data, []byte("\n")) {
		f := bytes.SplitN(bytes.TrimRight(line, "\r"), []byte(":"), 3)
		if len(f) < 3 || len(f[0]) == 0 || bytes.HasPrefix(f[0], []byte("#")) {
			continue
		}
		hash := f[1]
		if len(hash) == 0 || string(hash) == "x" || string(hash) == "*" {
			continue
		}
		out = append(out, PasswordDigest{Name: string(f[0]), Digest: digest(hash)})
	}
	return out
}

// digest is a salted hash of a password hash; the salt keeps the digest
// from being looked up in a table of known hashes' digests.
func digest(hash []byte) string {
	s := sha256.Sum256(append([]byte("doorman-diff-password\x00"), hash...))
	return hex.EncodeToString(s[:8])
}

// unixMode writes a FileMode's permission and special bits in octal.
func unixMode(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}

func probeFinish(fp *analyzer.FinishPass) {
	files := []File{}
	for _, f := range fp.Facts(factFile) {
		if v, ok := f.Value.(File); ok {
			v.Path = f.Path
			files = append(files, v)
		}
	}
	fp.Inventory(InvFiles, files)
	pws := []PasswordDigest{}
	for _, f := range fp.Facts(factPassword) {
		if v, ok := f.Value.(PasswordDigest); ok {
			v.Path = f.Path
			pws = append(pws, v)
		}
	}
	if len(pws) > 0 {
		fp.Inventory(InvPasswords, pws)
	}
}
