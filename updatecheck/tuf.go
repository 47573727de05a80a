package updatecheck

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// TUFOptions tune VerifyTUF. The zero value verifies at the current time
// with no previous state and no target files.
type TUFOptions struct {
	// Now is the reference time for expiry; zero means time.Now().
	Now time.Time
	// StateDir holds previously trusted metadata (root.json,
	// timestamp.json, snapshot.json, targets.json, any subset) as a client
	// stored it; versions below these are rollbacks.
	StateDir string
	// TargetsDir, when set, holds the target files: each one listed in
	// trusted targets metadata is checked for length and hashes.
	TargetsDir string
	// MaxMetadataSize bounds every metadata file; zero means
	// MaxMetadataSize.
	MaxMetadataSize int64
}

// RoleSummary is one verified (or failed) role for the report summary.
type RoleSummary struct {
	Role     string    `json:"role"`
	Version  int64     `json:"version"`
	Expires  time.Time `json:"expires"`
	File     string    `json:"file"`
	Verified bool      `json:"verified"`
}

// TargetSummary is one target listed in targets metadata.
type TargetSummary struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	Length int64  `json:"length"`
	SHA256 string `json:"sha256,omitempty"`
	// Status is "verified", "mismatch", "missing" or "not checked" (no
	// targets folder given).
	Status string `json:"status"`
	Path   string `json:"path,omitempty"`
}

// TUFResult is what VerifyTUF found. A repository that verifies has no
// findings; Errors lists what could not be examined (a delegated role the
// snapshot does not list, a target file absent from the targets folder).
type TUFResult struct {
	Findings []finding.Finding `json:"findings"`
	Roles    []RoleSummary     `json:"roles"`
	Targets  []TargetSummary   `json:"targets"`
	Errors   []finding.Error   `json:"errors"`
}

// tufRun is the state of one verification.
type tufRun struct {
	opts   TUFOptions
	dir    string
	now    time.Time
	root   *metadata.Metadata[metadata.RootType]
	state  *tufState
	res    *TUFResult
	roles  map[string]*metadata.Metadata[metadata.TargetsType] // verified or not, by role name
	trust  map[string]bool                                     // roles whose signatures verified
	parent map[string]*metadata.DelegatedRole                  // delegated roles' definitions
}

// VerifyTUF verifies the TUF repository metadata in dir offline, starting
// from the trusted root in rootPath. An error means the job could not be
// done at all (unreadable trusted root, folder or state); every problem of
// the repository itself is a finding in the result.
func VerifyTUF(rootPath, dir string, opts TUFOptions) (*TUFResult, error) {
	if opts.MaxMetadataSize <= 0 {
		opts.MaxMetadataSize = MaxMetadataSize
	}
	r := &tufRun{opts: opts, dir: dir, now: opts.Now, res: &TUFResult{},
		roles: map[string]*metadata.Metadata[metadata.TargetsType]{}, trust: map[string]bool{},
		parent: map[string]*metadata.DelegatedRole{}}
	if r.now.IsZero() {
		r.now = time.Now()
	}
	r.now = r.now.UTC()
	data, err := readBounded(rootPath, opts.MaxMetadataSize)
	if err != nil {
		return nil, fmt.Errorf("trusted root: %w", err)
	}
	trusted, err := parseRole[metadata.RootType](data)
	if err != nil {
		return nil, fmt.Errorf("trusted root %s: %w", rootPath, err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder of TUF metadata", dir)
	}
	if r.state, err = loadState(opts.StateDir, opts.MaxMetadataSize); err != nil {
		return nil, err
	}
	if opts.TargetsDir != "" {
		if fi, err := os.Stat(opts.TargetsDir); err != nil {
			return nil, err
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a folder of target files", opts.TargetsDir)
		}
	}

	// Even a trusted root must sign itself: a root that does not is
	// corrupt or hand-edited, and every later check would rest on it.
	checkSignatures(r, RuleTUFSignature, fmt.Sprintf("trusted root v%d", trusted.Signed.Version), rootPath, trusted, rootRole(trusted, metadata.ROOT), metadata.ROOT, trusted.Signed.Version, trusted)
	r.root = trusted
	r.rootChain()
	ts := r.timestamp()
	snap := r.snapshot(ts)
	r.targets(snap)
	r.targetFiles()
	finding.Sort(r.res.Findings)
	return r.res, nil
}

// add records a finding located in file (a path inside dir or a name).
func (r *tufRun) add(rule, file, msg, evidence string) {
	r.res.Findings = append(r.res.Findings, newFinding(rule, r.dir, file, msg, evidence))
}

func (r *tufRun) errorf(path, format string, a ...any) {
	r.res.Errors = append(r.res.Errors, finding.Error{Path: path, Error: fmt.Sprintf(format, a...)})
}

func (r *tufRun) summary(role string, v int64, exp time.Time, file string, ok bool) {
	r.res.Roles = append(r.res.Roles, RoleSummary{Role: role, Version: v, Expires: exp, File: file, Verified: ok})
}

// parseRole decodes metadata of role type T. go-tuf checks "_type"; the
// recover guards against a panic in a third-party decoder on hostile
// input, which must become a finding, not a crash.
func parseRole[T metadata.Roles](data []byte) (md *metadata.Metadata[T], err error) {
	defer func() {
		if p := recover(); p != nil {
			md, err = nil, fmt.Errorf("malformed metadata: %v", p)
		}
	}()
	var zero T
	switch any(zero).(type) {
	case metadata.RootType:
		m, err := metadata.Root().FromBytes(data)
		return any(m).(*metadata.Metadata[T]), err
	case metadata.TimestampType:
		m, err := metadata.Timestamp().FromBytes(data)
		return any(m).(*metadata.Metadata[T]), err
	case metadata.SnapshotType:
		m, err := metadata.Snapshot().FromBytes(data)
		return any(m).(*metadata.Metadata[T]), err
	default:
		m, err := metadata.Targets().FromBytes(data)
		return any(m).(*metadata.Metadata[T]), err
	}
}

// readRole reads the first existing file of names in dir. A missing or
// oversized file is a finding: a repository that does not serve a
// required role cannot be verified.
func (r *tufRun) readRole(role string, names ...string) ([]byte, string, bool) {
	for _, n := range names {
		p := filepath.Join(r.dir, n)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		b, err := readBounded(p, r.opts.MaxMetadataSize)
		if err != nil {
			r.add(RuleTUFMalformed, p, fmt.Sprintf("%s metadata %s cannot be read: %v", role, p, err), role+" unreadable")
			return nil, p, false
		}
		return b, p, true
	}
	p := filepath.Join(r.dir, names[len(names)-1])
	r.add(RuleTUFMalformed, p, fmt.Sprintf("%s metadata is missing: none of %v in %s", role, names, r.dir), role+" missing")
	return nil, p, false
}

// expired reports an expired role as a freeze-attack finding.
func (r *tufRun) expired(role, file string, v int64, exp time.Time) bool {
	if !r.now.After(exp) {
		return false
	}
	r.add(RuleTUFExpired, file, fmt.Sprintf("%s v%d expired at %s (checked at %s): a client would refuse it, or a mirror is serving a frozen view of the repository (freeze attack)",
		role, v, exp.UTC().Format(time.RFC3339), r.now.Format(time.RFC3339)), fmt.Sprintf("%s v%d expires=%s", role, v, exp.UTC().Format(time.RFC3339)))
	return true
}
