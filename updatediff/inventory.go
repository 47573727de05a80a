package updatediff

import (
	"encoding/json"
	"sort"

	"github.com/doorman-sec/doorman/finding"
)

// The inventory of a report is a map of analyzer-defined values: typed
// structs in a report fresh from scan.Run, generic maps in one read back
// from JSON. Compare reads both the same way, by going through JSON into
// the local types below, which name only the fields the comparison needs.
// A field an analyzer adds later is ignored; one that is missing is zero.

type account struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	UID      *int   `json:"uid"`
	Shell    string `json:"shell"`
	Password string `json:"password"` // "empty", "locked" or the hash scheme
	Login    bool   `json:"login"`
}

type service struct {
	Name      string `json:"name"`
	Command   string `json:"command"`
	Path      string `json:"path"`
	StartedBy string `json:"started_by"`
	Port      int    `json:"port"`
}

type elfInfo struct {
	Path   string `json:"path"`
	Arch   string `json:"arch"`
	Size   int64  `json:"size"`
	Format string `json:"format"`
	Packer string `json:"packer"`
	// Capabilities are absent from inventories written before they were
	// added, and from a binary that has none (omitempty): see
	// snapshot.hasCaps.
	Capabilities capList `json:"capabilities"`
}

type endpoint struct {
	Kind    string `json:"kind"`
	Value   string `json:"value"`
	Host    string `json:"host"`
	Path    string `json:"path"`
	Private bool   `json:"private"`
}

type key struct {
	Path           string `json:"path"`
	Format         string `json:"format"`
	Algorithm      string `json:"algorithm"`
	Bits           int    `json:"bits"`
	Fingerprint    string `json:"fingerprint"`
	SSHFingerprint string `json:"ssh_fingerprint"`
	Compromised    bool   `json:"compromised"`
}

type osInfo struct {
	Path    string `json:"path"`
	Source  string `json:"source"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// capList reads capabilities written either as names (["exec"]) or as
// objects with a name (exe.Capability: [{"name":"exec","evidence":[…]}]).
type capList []string

func (c *capList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = nil
		return nil
	}
	var names []string
	if err := json.Unmarshal(b, &names); err == nil {
		*c = append(capList{}, names...)
		return nil
	}
	var objs []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &objs); err != nil {
		return err
	}
	out := capList{}
	for _, o := range objs {
		out = append(out, o.Name)
	}
	*c = out
	return nil
}

// snapshot is one version's inventory, decoded, with every path
// normalised (NormPath) so the two versions can be matched.
type snapshot struct {
	target string
	// display maps a normalised path back to the display path it came
	// from, for the locations of findings (the first one wins when two
	// carved regions normalise alike).
	display   map[string]string
	accounts  []account
	services  []service
	binaries  []elfInfo
	endpoints []endpoint
	keys      []key
	oses      []osInfo
	files     []File
	passwords []PasswordDigest
	// hasCaps says the inventory lists capabilities (some binary has
	// them), so a binary without any has none rather than unknown ones.
	hasCaps bool
	// hasFiles says the probe ran: without it, "no setuid file" means
	// "not recorded", not "none".
	hasFiles bool
}

func newSnapshot(r *finding.Report) *snapshot {
	s := &snapshot{target: targetName(r), display: map[string]string{}}
	if r == nil {
		return s
	}
	inv := r.Inventory
	decode(inv, "accounts", &s.accounts)
	decode(inv, "services", &s.services)
	decode(inv, "binaries", &s.binaries)
	decode(inv, "endpoints", &s.endpoints)
	decode(inv, "keys", &s.keys)
	decode(inv, "os", &s.oses)
	s.hasFiles = decode(inv, InvFiles, &s.files)
	decode(inv, InvPasswords, &s.passwords)
	for i := range s.accounts {
		s.accounts[i].Path = s.norm(s.accounts[i].Path)
	}
	for i := range s.services {
		s.services[i].Path = s.norm(s.services[i].Path)
	}
	for i := range s.binaries {
		s.binaries[i].Path = s.norm(s.binaries[i].Path)
		s.hasCaps = s.hasCaps || s.binaries[i].Capabilities != nil
	}
	for i := range s.endpoints {
		s.endpoints[i].Path = s.norm(s.endpoints[i].Path)
	}
	for i := range s.keys {
		s.keys[i].Path = s.norm(s.keys[i].Path)
	}
	for i := range s.oses {
		s.oses[i].Path = s.norm(s.oses[i].Path)
	}
	for i := range s.files {
		s.files[i].Path = s.norm(s.files[i].Path)
	}
	for i := range s.passwords {
		s.passwords[i].Path = s.norm(s.passwords[i].Path)
	}
	sort.SliceStable(s.files, func(i, j int) bool { return s.files[i].Path < s.files[j].Path })
	s.addProbedExecutables()
	return s
}

// addProbedExecutables lists the executables the probe saw that the
// "binaries" inventory does not have (an analyzer that skipped them, or a
// report without that inventory), so that new and renamed executables are
// found either way. They have no capabilities.
func (s *snapshot) addProbedExecutables() {
	have := map[string]bool{}
	for _, b := range s.binaries {
		have[b.Path] = true
	}
	for _, f := range s.files {
		if f.Exec && !have[f.Path] {
			s.binaries = append(s.binaries, elfInfo{Path: f.Path, Size: f.Size})
		}
	}
	sort.SliceStable(s.binaries, func(i, j int) bool { return s.binaries[i].Path < s.binaries[j].Path })
}

// norm normalises a display path and remembers where it came from.
func (s *snapshot) norm(p string) string {
	n := NormPath(p, s.target)
	if _, ok := s.display[n]; !ok {
		s.display[n] = p
	}
	return n
}

// displayPath returns the display path a normalised path came from, or
// the normalised path under the target's name when it was never seen.
func (s *snapshot) displayPath(norm string) string {
	if p, ok := s.display[norm]; ok {
		return p
	}
	return s.target + norm
}

// decode converts inv[k] into *out through JSON and reports whether the
// key was there and readable. A value of an unexpected shape is treated
// as absent: a diff must not fail because one analyzer changed its
// inventory.
func decode[T any](inv map[string]any, k string, out *[]T) bool {
	v, ok := inv[k]
	if !ok || v == nil {
		return false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var list []T
	if err := json.Unmarshal(b, &list); err != nil {
		return false
	}
	*out = list
	return true
}

// targetName is the name a report's paths start with.
func targetName(r *finding.Report) string {
	if r == nil || len(r.Targets) == 0 {
		return ""
	}
	return r.Targets[0].Path
}

// fileIndex finds files by normalised path and by content.
type fileIndex struct {
	byPath map[string]File
	byHash map[string][]File
}

func indexFiles(fs []File) fileIndex {
	ix := fileIndex{byPath: map[string]File{}, byHash: map[string][]File{}}
	for _, f := range fs {
		ix.byPath[f.Path] = f
		if f.SHA256 != "" {
			ix.byHash[f.SHA256] = append(ix.byHash[f.SHA256], f)
		}
	}
	return ix
}
