package updatecheck

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// rootFileRE matches versioned roots: TUF's "N.root.json" and the
// "root.N.json" spelling some repositories use.
var rootFileRE = regexp.MustCompile(`^(?:(\d{1,9})\.root\.json|root\.(\d{1,9})\.json)$`)

// rootChain walks root rotations from the trusted root: each version N+1
// must be signed by a threshold of root N's root keys and of its own. The
// walk stops at the first failure and later roles are checked against the
// last root that verified, as a TUF client would.
func (r *tufRun) rootChain() {
	files := map[int64]string{}
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		r.errorf(r.dir, "cannot list metadata folder: %v", err)
	}
	for _, e := range entries {
		m := rootFileRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		s := m[1] + m[2]
		v, _ := strconv.ParseInt(s, 10, 64)
		files[v] = filepath.Join(r.dir, e.Name())
	}
	// An unversioned root.json joins the chain under its own version.
	plain := filepath.Join(r.dir, "root.json")
	var plainVersion int64
	if b, err := readBounded(plain, r.opts.MaxMetadataSize); err == nil {
		if md, err := parseRole[metadata.RootType](b); err == nil {
			plainVersion = md.Signed.Version
			if _, ok := files[plainVersion]; !ok && plainVersion > r.root.Signed.Version {
				files[plainVersion] = plain
			}
		} else {
			r.add(RuleTUFMalformed, plain, fmt.Sprintf("root.json is not valid root metadata: %v", err), "root.json malformed")
		}
	}

	// Bounded by the number of files present, so a hostile folder cannot
	// make this loop long.
	for v := r.root.Signed.Version + 1; ; v++ {
		p, ok := files[v]
		if !ok {
			break
		}
		if !r.rotate(v, p) {
			break
		}
	}
	cur := r.root.Signed.Version
	if plainVersion > cur {
		r.add(RuleTUFRootChain, plain, fmt.Sprintf("root.json is version %d but the chain from the trusted root stops at version %d: %d.root.json is missing or does not verify, so the new root's keys are not trusted",
			plainVersion, cur, cur+1), fmt.Sprintf("root chain stops at v%d, root.json v%d", cur, plainVersion))
	}
	if r.state.root > cur {
		r.add(RuleTUFRollback, plain, fmt.Sprintf("root rolled back: the repository's newest trusted root is version %d, lower than version %d in the previous state",
			cur, r.state.root), fmt.Sprintf("root v%d < state v%d", cur, r.state.root))
	}
	file := files[cur]
	if file == "" {
		file = plain
	}
	exp := r.expired("root", file, cur, r.root.Signed.Expires)
	r.summary("root", cur, r.root.Signed.Expires, file, !exp)
}

// rotate verifies root version v from file p against the current root and
// makes it current when it verifies.
func (r *tufRun) rotate(v int64, p string) bool {
	b, err := readBounded(p, r.opts.MaxMetadataSize)
	if err != nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("root v%d cannot be read: %v", v, err), fmt.Sprintf("root v%d unreadable", v))
		return false
	}
	next, err := parseRole[metadata.RootType](b)
	if err != nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("root v%d is not valid root metadata: %v", v, err), fmt.Sprintf("root v%d malformed", v))
		return false
	}
	if next.Signed.Version != v {
		r.add(RuleTUFVersion, p, fmt.Sprintf("%s claims root version %d but its file name says %d", filepath.Base(p), next.Signed.Version, v),
			fmt.Sprintf("root file v%d content v%d", v, next.Signed.Version))
		return false
	}
	prev := r.root
	okOld := checkSignatures(r, RuleTUFRootChain, fmt.Sprintf("root rotation: root v%d signed by the root keys of v%d", v, prev.Signed.Version),
		p, prev, rootRole(prev, metadata.ROOT), metadata.ROOT, v, next)
	okNew := checkSignatures(r, RuleTUFRootChain, fmt.Sprintf("root rotation: root v%d signed by its own root keys", v),
		p, next, rootRole(next, metadata.ROOT), metadata.ROOT, v, next)
	if !okOld || !okNew {
		return false
	}
	r.root = next
	return true
}
