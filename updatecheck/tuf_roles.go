package updatecheck

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// maxDelegatedRoles bounds how many delegated targets roles are visited:
// a hostile repository could otherwise declare millions.
const maxDelegatedRoles = 256

// timestamp verifies timestamp.json against the final root.
func (r *tufRun) timestamp() *metadata.Metadata[metadata.TimestampType] {
	b, p, ok := r.readRole("timestamp", "timestamp.json")
	if !ok {
		return nil
	}
	ts, err := parseRole[metadata.TimestampType](b)
	if err != nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("timestamp metadata is malformed: %v", err), "timestamp malformed")
		return nil
	}
	v := ts.Signed.Version
	sigOK := checkSignatures(r, RuleTUFSignature, roleLabel("timestamp", v), p, r.root, rootRole(r.root, metadata.TIMESTAMP), metadata.TIMESTAMP, v, ts)
	exp := r.expired("timestamp", p, v, ts.Signed.Expires)
	if r.state.timestamp > v {
		r.add(RuleTUFRollback, p, fmt.Sprintf("timestamp rolled back: version %d is lower than version %d in the previous state", v, r.state.timestamp),
			fmt.Sprintf("timestamp v%d < state v%d", v, r.state.timestamp))
	}
	sm := ts.Signed.Meta["snapshot.json"]
	if sm == nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("timestamp v%d does not name a snapshot.json version", v), "timestamp without snapshot meta")
	} else if r.state.tsSnapshot > sm.Version {
		r.add(RuleTUFRollback, p, fmt.Sprintf("timestamp v%d names snapshot version %d, lower than version %d named in the previous state", v, sm.Version, r.state.tsSnapshot),
			fmt.Sprintf("timestamp names snapshot v%d < state v%d", sm.Version, r.state.tsSnapshot))
	}
	r.summary("timestamp", v, ts.Signed.Expires, p, sigOK && !exp)
	return ts
}

// snapshot verifies snapshot.json against the timestamp and the root. It
// still runs when the timestamp failed, so one run reports every problem.
func (r *tufRun) snapshot(ts *metadata.Metadata[metadata.TimestampType]) *metadata.Metadata[metadata.SnapshotType] {
	var meta *metadata.MetaFiles
	if ts != nil {
		meta = ts.Signed.Meta["snapshot.json"]
	}
	b, p, ok := r.readRole("snapshot", r.names("snapshot", meta)...)
	if !ok {
		return nil
	}
	good := r.metaHashes("snapshot", p, meta, b)
	snap, err := parseRole[metadata.SnapshotType](b)
	if err != nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("snapshot metadata is malformed: %v", err), "snapshot malformed")
		return nil
	}
	v := snap.Signed.Version
	good = checkSignatures(r, RuleTUFSignature, roleLabel("snapshot", v), p, r.root, rootRole(r.root, metadata.SNAPSHOT), metadata.SNAPSHOT, v, snap) && good
	good = r.metaVersion("snapshot", "timestamp", p, meta, v) && good
	good = !r.expired("snapshot", p, v, snap.Signed.Expires) && good
	if r.state.snapshot > v {
		good = false
		r.add(RuleTUFRollback, p, fmt.Sprintf("snapshot rolled back: version %d is lower than version %d in the previous state", v, r.state.snapshot),
			fmt.Sprintf("snapshot v%d < state v%d", v, r.state.snapshot))
	}
	names := make([]string, 0, len(r.state.meta))
	for n := range r.state.meta {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		old := r.state.meta[n]
		cur := snap.Signed.Meta[n]
		switch {
		case cur == nil:
			good = false
			r.add(RuleTUFRollback, p, fmt.Sprintf("snapshot v%d no longer lists %s, which the previous state had at version %d", v, n, old),
				fmt.Sprintf("snapshot drops %s (state v%d)", n, old))
		case cur.Version < old:
			good = false
			r.add(RuleTUFRollback, p, fmt.Sprintf("%s rolled back: snapshot v%d lists version %d, lower than version %d in the previous state", n, v, cur.Version, old),
				fmt.Sprintf("%s v%d < state v%d", n, cur.Version, old))
		}
	}
	r.summary("snapshot", v, snap.Signed.Expires, p, good)
	return snap
}

// names lists the file names a role may be stored under: with consistent
// snapshots "VERSION.ROLE.json" first, then the plain name.
func (r *tufRun) names(role string, meta *metadata.MetaFiles) []string {
	plain := role + ".json"
	if r.root.Signed.ConsistentSnapshot && meta != nil && meta.Version > 0 {
		return []string{fmt.Sprintf("%d.%s", meta.Version, plain), plain}
	}
	return []string{plain}
}

// metaHashes checks data against the length and hashes its parent role
// recorded, when it recorded any.
func (r *tufRun) metaHashes(role, p string, meta *metadata.MetaFiles, data []byte) bool {
	if meta == nil || (meta.Length == 0 && len(meta.Hashes) == 0) {
		return true
	}
	if err := meta.VerifyLengthHashes(data); err != nil {
		r.add(RuleTUFMetaHash, p, fmt.Sprintf("%s metadata (%d bytes) does not match the length %d and hashes its parent role signed: %v", role, len(data), meta.Length, err),
			fmt.Sprintf("%s length=%d want=%d", role, len(data), meta.Length))
		return false
	}
	return true
}

// metaVersion checks a role's version against the one its parent names.
func (r *tufRun) metaVersion(role, parent, p string, meta *metadata.MetaFiles, v int64) bool {
	if meta == nil || meta.Version == v {
		return true
	}
	r.add(RuleTUFVersion, p, fmt.Sprintf("%s is version %d but %s names version %d: mixed or replayed metadata", role, v, parent, meta.Version),
		fmt.Sprintf("%s v%d, %s names v%d", role, v, parent, meta.Version))
	return false
}

// targets verifies the top-level targets role and then, breadth first,
// the delegated roles the snapshot lists.
func (r *tufRun) targets(snap *metadata.Metadata[metadata.SnapshotType]) {
	md, ok := r.targetsRole(metadata.TARGETS, snap, r.root, rootRole(r.root, metadata.TARGETS))
	if md == nil {
		return
	}
	r.trust[metadata.TARGETS] = ok
	queue := []*metadata.Metadata[metadata.TargetsType]{md}
	for len(queue) > 0 && len(r.roles) < maxDelegatedRoles {
		parent := queue[0]
		queue = queue[1:]
		d := parent.Signed.Delegations
		if d == nil {
			continue
		}
		if d.SuccinctRoles != nil {
			r.errorf(r.dir, "succinct hash-bin delegations are not verified by this version")
		}
		for i := range d.Roles {
			dr := &d.Roles[i]
			if _, seen := r.roles[dr.Name]; seen || len(r.roles) >= maxDelegatedRoles {
				continue
			}
			if !filepath.IsLocal(dr.Name) || filepath.Base(dr.Name) != dr.Name {
				r.add(RuleTUFDelegation, r.dir, fmt.Sprintf("delegated role name %q is not a plain file name: refusing to open it", dr.Name), "role name "+dr.Name)
				continue
			}
			if snap == nil || snap.Signed.Meta[dr.Name+".json"] == nil {
				r.errorf(filepath.Join(r.dir, dr.Name+".json"), "delegated role %s is not listed in snapshot: its targets were not verified", dr.Name)
				continue
			}
			rk := roleKeys{keys: d.Keys, keyIDs: dr.KeyIDs, threshold: dr.Threshold}
			child, ok := r.targetsRole(dr.Name, snap, parent, rk)
			if child == nil {
				continue
			}
			r.parent[dr.Name] = dr
			r.trust[dr.Name] = ok && r.trustedChain(parent)
			queue = append(queue, child)
		}
	}
}

// trustedChain reports whether a targets role's own signatures verified.
func (r *tufRun) trustedChain(md *metadata.Metadata[metadata.TargetsType]) bool {
	for name, m := range r.roles {
		if m == md {
			return r.trust[name]
		}
	}
	return false
}

// targetsRole loads and verifies one targets role signed per rk by
// delegator.
func (r *tufRun) targetsRole(role string, snap *metadata.Metadata[metadata.SnapshotType], delegator any, rk roleKeys) (*metadata.Metadata[metadata.TargetsType], bool) {
	var meta *metadata.MetaFiles
	if snap != nil {
		meta = snap.Signed.Meta[role+".json"]
	}
	b, p, ok := r.readRole(role, r.names(role, meta)...)
	if !ok {
		return nil, false
	}
	good := r.metaHashes(role, p, meta, b)
	md, err := parseRole[metadata.TargetsType](b)
	if err != nil {
		r.add(RuleTUFMalformed, p, fmt.Sprintf("%s metadata is malformed: %v", role, err), role+" malformed")
		return nil, false
	}
	v := md.Signed.Version
	good = checkSignatures(r, RuleTUFSignature, roleLabel(role, v), p, delegator, rk, role, v, md) && good
	good = r.metaVersion(role, "snapshot", p, meta, v) && good
	good = !r.expired(role, p, v, md.Signed.Expires) && good
	r.roles[role] = md
	r.summary(role, v, md.Signed.Expires, p, good)
	return md, good
}

func roleLabel(role string, v int64) string { return fmt.Sprintf("%s v%d", role, v) }
