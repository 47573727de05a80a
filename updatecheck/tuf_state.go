package updatecheck

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// tufState is the versions a client trusted before: anything lower now is
// a rollback. Its files are not re-verified: they were trusted when
// stored, and an attacker able to write them already owns the client.
type tufState struct {
	root, timestamp, snapshot int64
	// tsSnapshot is the snapshot version the old timestamp named.
	tsSnapshot int64
	// meta is the old snapshot's versions of every targets role, plus
	// targets.json's own version if only that was stored.
	meta map[string]int64
}

// loadState reads a state folder. An empty dir means no previous state.
// A state file that exists but does not parse is an error: the caller
// asked for rollback protection and would silently lose it.
func loadState(dir string, max int64) (*tufState, error) {
	s := &tufState{meta: map[string]int64{}}
	if dir == "" {
		return s, nil
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("state: %s is not a folder", dir)
	}
	read := func(name string) ([]byte, bool, error) {
		b, err := readBounded(filepath.Join(dir, name), max)
		if os.IsNotExist(err) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("state: %w", err)
		}
		return b, true, nil
	}
	if b, ok, err := read("root.json"); err != nil {
		return nil, err
	} else if ok {
		md, err := parseRole[metadata.RootType](b)
		if err != nil {
			return nil, fmt.Errorf("state root.json: %w", err)
		}
		s.root = md.Signed.Version
	}
	if b, ok, err := read("timestamp.json"); err != nil {
		return nil, err
	} else if ok {
		md, err := parseRole[metadata.TimestampType](b)
		if err != nil {
			return nil, fmt.Errorf("state timestamp.json: %w", err)
		}
		s.timestamp = md.Signed.Version
		if m := md.Signed.Meta["snapshot.json"]; m != nil {
			s.tsSnapshot = m.Version
		}
	}
	if b, ok, err := read("snapshot.json"); err != nil {
		return nil, err
	} else if ok {
		md, err := parseRole[metadata.SnapshotType](b)
		if err != nil {
			return nil, fmt.Errorf("state snapshot.json: %w", err)
		}
		s.snapshot = md.Signed.Version
		for name, m := range md.Signed.Meta {
			if m != nil {
				s.meta[name] = m.Version
			}
		}
	}
	if b, ok, err := read("targets.json"); err != nil {
		return nil, err
	} else if ok {
		md, err := parseRole[metadata.TargetsType](b)
		if err != nil {
			return nil, fmt.Errorf("state targets.json: %w", err)
		}
		if md.Signed.Version > s.meta["targets.json"] {
			s.meta["targets.json"] = md.Signed.Version
		}
	}
	return s, nil
}
