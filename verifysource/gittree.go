package verifysource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Errors that mean the job cannot be done at all (exit code 2).
var (
	ErrRepo    = errors.New("cannot read the git repository")
	ErrRef     = errors.New("ref not found")
	ErrRelease = errors.New("cannot read the release")
)

// tagFile is one file of the git tree.
type tagFile struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

// gitTree is the tree of one commit.
type gitTree struct {
	repo   *git.Repository
	commit plumbing.Hash
	files  map[string]tagFile
	// submodules are gitlink paths: their content lives in another
	// repository and cannot be verified here.
	submodules []string
}

// maxPeel bounds a chain of tags pointing at tags.
const maxPeel = 16

// openTree opens repoDir (a work tree or a bare repository, read only) and
// lists the tree at ref: a tag (annotated tags peeled), a branch, a commit
// hash or any revision go-git understands; "" means HEAD.
func openTree(ctx context.Context, repoDir, ref string, maxEntries int64) (_ *gitTree, err error) {
	defer func() {
		// go-git parses objects from a repository that may be crafted; a
		// panic in it must become an error, not a crash.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w %s: internal error reading objects: %v", ErrRepo, repoDir, r)
		}
	}()
	repo, err := git.PlainOpenWithOptions(repoDir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrRepo, repoDir, err)
	}
	if ref == "" {
		ref = "HEAD"
	}
	commit, err := resolve(repo, ref)
	if err != nil {
		return nil, err
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("%w %s: tree of %s: %v", ErrRepo, repoDir, commit.Hash, err)
	}
	t := &gitTree{repo: repo, commit: commit.Hash, files: map[string]tagFile{}}
	w := object.NewTreeWalker(tree, true, nil)
	defer w.Close()
	for {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %v", ErrRepo, context.Cause(ctx))
		}
		name, e, err := w.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w %s: walking the tree of %s: %v", ErrRepo, repoDir, commit.Hash, err)
		}
		switch {
		case e.Mode == filemode.Dir:
			continue
		case e.Mode == filemode.Submodule:
			t.submodules = append(t.submodules, name)
			continue
		}
		if int64(len(t.files)) >= maxEntries {
			return nil, fmt.Errorf("%w %s: more than %d files in the tree (--max-entries)", ErrRepo, repoDir, maxEntries)
		}
		t.files[name] = tagFile{hash: e.Hash, mode: e.Mode}
	}
	return t, nil
}

// resolve turns a ref into a commit, peeling annotated tags (also tags of
// tags, which go-git's ResolveRevision does not peel).
func resolve(repo *git.Repository, ref string) (*object.Commit, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(ref))
	if err != nil {
		// ResolveRevision gives up on a tag whose target is another tag.
		r, rerr := repo.Reference(plumbing.NewTagReferenceName(ref), true)
		if rerr != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrRef, ref, err)
		}
		hh := r.Hash()
		h = &hh
	}
	for range maxPeel {
		if c, err := repo.CommitObject(*h); err == nil {
			return c, nil
		}
		tag, err := repo.TagObject(*h)
		if err != nil {
			return nil, fmt.Errorf("%w: %q names %s, which is neither a commit nor a tag", ErrRef, ref, h)
		}
		hh := tag.Target
		h = &hh
	}
	return nil, fmt.Errorf("%w: %q: more than %d tags chained", ErrRef, ref, maxPeel)
}

// blob reads a file of the tree, at most max bytes; ok is false when it is
// larger or unreadable (the caller then compares without content).
func (t *gitTree) blob(p string, max int64) (b []byte, ok bool) {
	defer func() {
		if recover() != nil {
			b, ok = nil, false
		}
	}()
	f, found := t.files[p]
	if !found {
		return nil, false
	}
	o, err := t.repo.BlobObject(f.hash)
	if err != nil || o.Size > max {
		return nil, false
	}
	r, err := o.Reader()
	if err != nil {
		return nil, false
	}
	defer r.Close()
	b, err = io.ReadAll(io.LimitReader(r, max+1))
	if err != nil || int64(len(b)) > max {
		return nil, false
	}
	return b, true
}

// inSubmodule returns the submodule a path lies in, or "".
func (t *gitTree) inSubmodule(p string) string {
	for _, s := range t.submodules {
		if strings.HasPrefix(p, s+"/") {
			return s
		}
	}
	return ""
}
