package verifysource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every archive format the walker opens
	"github.com/doorman-sec/doorman/finding"
	"github.com/go-git/go-git/v5/plumbing"
)

// member is one file of the release archive.
type member struct {
	name    string // inside the archive, cleaned ("proj-1.0/m4/po.m4")
	path    string // display path with "!/" boundaries, for findings
	size    int64
	hash    plumbing.Hash // git blob hash of the content (or the link target)
	symlink bool
	target  string // symlink target, as stored
	binary  bool
	data    []byte // content, when small enough and not identical to the tag
}

// archiveKinds are containers whose members are the release's files;
// streamKinds may wrap them (proj-1.0.tar.xz).
var (
	archiveKinds = map[artifact.Kind]bool{"tar": true, "zip": true, "cpio": true}
	streamKinds  = map[artifact.Kind]bool{"gzip": true, "xz": true, "lzma": true, "bzip2": true, "zstd": true, "lz4": true}
)

// isMember reports whether e is a file of the release itself, not content
// nested inside one of its files (a test .xz, a carved region) that the
// walker opens too.
func isMember(e *artifact.Entry, dirTarget bool) bool {
	if dirTarget {
		return e.Parent == nil
	}
	p := e.Parent
	if p == nil || p.Carved || !archiveKinds[p.Kind] {
		return false
	}
	for a := p.Parent; a != nil; a = a.Parent {
		if a.Carved || !streamKinds[a.Kind] {
			return false
		}
	}
	return true
}

// release is what was read from the release archive.
type release struct {
	mu      sync.Mutex
	members []*member
	errors  []finding.Error
	kept    int64
	files   int64
	bytes   int64
}

// readRelease walks the release with the artifact walker, within limits,
// keeping the content of members that the tag does not already explain
// (same blob hash at the same name), up to keep bytes each and keepTotal
// in all.
func readRelease(ctx context.Context, target string, tree *gitTree, o Options) (*release, error) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrRelease, target, err)
	}
	dirTarget := fi.IsDir()
	tmp, err := os.MkdirTemp("", "doorman-verify-")
	if err != nil {
		return nil, fmt.Errorf("creating the private temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	r := &release{}
	visit := func(e *artifact.Entry, src artifact.Source) {
		if !isMember(e, dirTarget) || e.Kind == artifact.KindDir || e.Kind == artifact.KindSpecial {
			return
		}
		m := &member{name: e.Name, path: e.Path}
		if e.Kind == artifact.KindSymlink {
			m.symlink, m.target = true, e.LinkTarget
			m.hash = plumbing.ComputeHash(plumbing.BlobObject, []byte(e.LinkTarget))
		} else if src != nil {
			m.size = src.Size()
			if err := r.read(m, src, tree, o); err != nil {
				r.addError(e.Path, err)
				return
			}
		}
		r.mu.Lock()
		r.members = append(r.members, m)
		r.files++
		r.bytes += m.size
		r.mu.Unlock()
	}
	w := artifact.NewWalker(artifact.Config{
		Limits: o.Limits, TempDir: tmp, Workers: o.Workers, Visit: visit,
		OnError: func(p string, err error) {
			// Content nested in a release file (a deliberately corrupt
			// test .xz) is not the release's business, but a limit may
			// have stopped the walk before later members.
			if errors.Is(err, artifact.ErrLimit) || strings.Count(p, "!/") <= 2 {
				r.addError(p, err)
			}
		},
	})
	if err := w.WalkTarget(ctx, target); err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrRelease, target, err)
	}
	if len(r.members) == 0 && !dirTarget {
		return nil, fmt.Errorf("%w %s: no files found (not a tar, zip or cpio archive, possibly compressed?)", ErrRelease, target)
	}
	return r, nil
}

func (r *release) addError(p string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errors) < 1000 {
		r.errors = append(r.errors, finding.Error{Path: p, Error: err.Error()})
	}
}

// read hashes a member's content like git does and keeps the content when
// it may be needed to explain a difference.
func (r *release) read(m *member, src artifact.Source, tree *gitTree, o Options) error {
	head := make([]byte, min(int64(artifact.HeadSize), m.size))
	n, _ := src.ReadAt(head, 0)
	m.binary = m.size > 0 && !artifact.LooksText(head[:n])
	h := plumbing.NewHasher(plumbing.BlobObject, m.size)
	if _, err := io.Copy(h, io.NewSectionReader(src, 0, m.size)); err != nil {
		return fmt.Errorf("reading: %w", err)
	}
	m.hash = h.Sum()
	// The top-level folder is stripped only once every name is known, so
	// try the name both with and without its first element.
	if f, ok := tree.files[m.name]; ok && f.hash == m.hash {
		return nil
	}
	if _, rest, ok := strings.Cut(m.name, "/"); ok {
		if f, ok := tree.files[rest]; ok && f.hash == m.hash {
			return nil
		}
	}
	if m.size > o.MaxKeep {
		return nil
	}
	r.mu.Lock()
	if r.kept+m.size > o.MaxKeepTotal {
		r.mu.Unlock()
		return nil
	}
	r.kept += m.size
	r.mu.Unlock()
	m.data = make([]byte, m.size)
	if _, err := src.ReadAt(m.data, 0); err != nil && err != io.EOF {
		m.data = nil
		return fmt.Errorf("reading: %w", err)
	}
	return nil
}

// commonPrefix returns the top-level folder of the release ("proj-1.0"):
// the first name element that every member shares, or, when a few do not,
// the one that more than half of them share. A single crafted member at
// the top level (or named "../x") must not switch the stripping off and
// make every real file look added; the members outside the folder keep
// their full names and are judged as additions.
func commonPrefix(ms []*member) string {
	count := map[string]int{}
	for _, m := range ms {
		if first, _, ok := strings.Cut(m.name, "/"); ok {
			count[first]++
		}
	}
	for p, n := range count {
		if 2*n > len(ms) {
			return p
		}
	}
	return ""
}
