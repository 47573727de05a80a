package updatecheck

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// newHash returns the hash TUF names alg, or nil for one we do not know.
func newHash(alg string) hash.Hash {
	switch strings.ToLower(alg) {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// targetFiles lists every target of every targets role and, when a
// targets folder was given, checks each file's length and hashes.
func (r *tufRun) targetFiles() {
	roles := make([]string, 0, len(r.roles))
	for n := range r.roles {
		roles = append(roles, n)
	}
	sort.Slice(roles, func(i, j int) bool {
		if (roles[i] == metadata.TARGETS) != (roles[j] == metadata.TARGETS) {
			return roles[i] == metadata.TARGETS
		}
		return roles[i] < roles[j]
	})
	for _, role := range roles {
		md := r.roles[role]
		names := make([]string, 0, len(md.Signed.Targets))
		for n := range md.Signed.Targets {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			r.targetFile(role, name, md.Signed.Targets[name])
		}
	}
}

func (r *tufRun) targetFile(role, name string, tf *metadata.TargetFiles) {
	if tf == nil {
		return
	}
	ts := TargetSummary{Name: name, Role: role, Length: tf.Length, Status: "not checked"}
	if h, ok := tf.Hashes["sha256"]; ok {
		ts.SHA256 = hex.EncodeToString(h)
	}
	defer func() { r.res.Targets = append(r.res.Targets, ts) }()
	metaFile := filepath.Join(r.dir, role+".json")
	if dr := r.parent[role]; dr != nil {
		if ok, err := dr.IsDelegatedPath(name); err != nil || !ok {
			ts.Status = "mismatch"
			r.add(RuleTUFDelegation, metaFile, fmt.Sprintf("role %s lists target %q outside the paths it was delegated (%v): a client must not install it on this role's word",
				role, name, append(dr.Paths, dr.PathHashPrefixes...)), fmt.Sprintf("%s lists %s", role, name))
			return
		}
	}
	if r.opts.TargetsDir == "" {
		return
	}
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		ts.Status = "mismatch"
		r.add(RuleTUFDelegation, metaFile, fmt.Sprintf("role %s lists target %q whose name escapes the targets folder (path traversal)", role, name), "unsafe target "+name)
		return
	}
	p, ok := r.findTarget(name, tf)
	if !ok {
		ts.Status = "missing"
		r.errorf(filepath.Join(r.opts.TargetsDir, filepath.FromSlash(name)), "target listed by %s is not in the targets folder: not verified", role)
		return
	}
	ts.Path = p
	problems, err := checkTargetFile(p, tf)
	if err != nil {
		ts.Status = "missing"
		r.errorf(p, "%v", err)
		return
	}
	if len(problems) == 0 {
		ts.Status = "verified"
		return
	}
	ts.Status = "mismatch"
	r.res.Findings = append(r.res.Findings, newFinding(RuleTUFTargetHash, r.opts.TargetsDir, p,
		fmt.Sprintf("target %q (listed by %s v%d) does not match its signed metadata: %s", name, role, r.roles[role].Signed.Version, strings.Join(problems, "; ")),
		fmt.Sprintf("%s %s", name, strings.Join(problems, "; "))))
}

// findTarget locates a target file: under its name, or with consistent
// snapshots also as "HASH.NAME" in the same folder.
func (r *tufRun) findTarget(name string, tf *metadata.TargetFiles) (string, bool) {
	cands := []string{filepath.Join(r.opts.TargetsDir, filepath.FromSlash(name))}
	if r.root.Signed.ConsistentSnapshot {
		dir, base := path.Split(name)
		algs := make([]string, 0, len(tf.Hashes))
		for a := range tf.Hashes {
			algs = append(algs, a)
		}
		sort.Strings(algs)
		for _, a := range algs {
			cands = append(cands, filepath.Join(r.opts.TargetsDir, filepath.FromSlash(dir), hex.EncodeToString(tf.Hashes[a])+"."+base))
		}
	}
	for _, c := range cands {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
			return c, true
		}
	}
	return "", false
}

// checkTargetFile streams a target file through its hashes, so a large
// firmware image is never held in memory. It returns what differs; an
// error means the file could not be checked at all.
func checkTargetFile(p string, tf *metadata.TargetFiles) ([]string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	algs := make([]string, 0, len(tf.Hashes))
	hs := map[string]hash.Hash{}
	var ws []io.Writer
	for a := range tf.Hashes {
		if h := newHash(a); h != nil {
			algs = append(algs, a)
			hs[a] = h
			ws = append(ws, h)
		}
	}
	sort.Strings(algs)
	if len(algs) == 0 && len(tf.Hashes) > 0 {
		return nil, fmt.Errorf("no supported hash algorithm among %d listed: not verified", len(tf.Hashes))
	}
	// Read at most one byte past the signed length: a file that is longer
	// is already a mismatch, and an endless file must not hang us.
	n, err := io.Copy(io.MultiWriter(append(ws, io.Discard)...), io.LimitReader(f, tf.Length+1))
	if err != nil {
		return nil, err
	}
	var problems []string
	if n != tf.Length {
		got := fmt.Sprintf("%d bytes", n)
		if n > tf.Length {
			got = "more than that"
		}
		problems = append(problems, fmt.Sprintf("length: expected %d bytes, got %s", tf.Length, got))
		return problems, nil
	}
	for _, a := range algs {
		got := hs[a].Sum(nil)
		if !bytes.Equal(got, tf.Hashes[a]) {
			problems = append(problems, fmt.Sprintf("%s: expected %x, got %x", a, []byte(tf.Hashes[a]), got))
		}
	}
	return problems, nil
}
