package verifysource

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Options configure Compare. The zero value uses the defaults.
type Options struct {
	// Limits bound the walk of the release (as for doorman scan) and the
	// number of files read from the git tree (MaxEntries).
	Limits artifact.Limits
	// Workers is how many release members are read at once (0: default).
	Workers int
	// MaxKeep is the largest file whose content is kept to explain a
	// difference (diff, m4 analysis); 1 MiB by default.
	MaxKeep int64
	// MaxKeepTotal bounds the content kept in all; 64 MiB by default.
	MaxKeepTotal int64
	// Table is the pristine build-file table; nil uses the embedded one.
	Table *Table
}

func (o *Options) defaults() error {
	if o.Limits == (artifact.Limits{}) {
		o.Limits = artifact.DefaultLimits()
	}
	if o.Limits.MaxEntries <= 0 {
		o.Limits.MaxEntries = artifact.DefaultLimits().MaxEntries
	}
	if o.MaxKeep <= 0 {
		o.MaxKeep = 1 << 20
	}
	if o.MaxKeepTotal <= 0 {
		o.MaxKeepTotal = 64 << 20
	}
	if o.Table == nil {
		t, err := DefaultTable()
		if err != nil {
			return err
		}
		o.Table = t
	}
	return nil
}

// FileChange is one difference between the release and the tag.
type FileChange struct {
	Path     string `json:"path"`               // relative to the source root ("m4/build-to-host.m4")
	Location string `json:"location,omitempty"` // display path in the release, when it is there
	Class    string `json:"class"`              // generated, m4, build-aux, build-script, source, doc, …
	Size     int64  `json:"size,omitempty"`
	Binary   bool   `json:"binary,omitempty"`
	Added    int    `json:"lines_added,omitempty"`
	Removed  int    `json:"lines_removed,omitempty"`
	// Note says why a difference is explained, or what is known about it.
	Note string `json:"note,omitempty"`
}

// Result is the outcome of Compare.
type Result struct {
	Repo    string `json:"repo"`
	Ref     string `json:"ref"`
	Commit  string `json:"commit"`
	Release string `json:"release"`
	// Prefix is the top-level folder stripped from the release's names.
	Prefix string `json:"prefix,omitempty"`
	// Added are files only in the release, Removed only in the tag, Changed
	// in both with different content; none of them explained. Explained
	// holds the differences that have a benign explanation (generated
	// outputs, pristine upstream macro files).
	Added     []FileChange `json:"added"`
	Removed   []FileChange `json:"removed"`
	Changed   []FileChange `json:"changed"`
	Explained []FileChange `json:"explained"`
	Unchanged int          `json:"unchanged"`

	Findings []finding.Finding `json:"-"`
	Errors   []finding.Error   `json:"-"`
	Files    int64             `json:"-"`
	Bytes    int64             `json:"-"`
}

// Compare reads the git tree of repoDir at ref ("" for HEAD) and the release
// archive (or an unpacked release folder), and explains every difference.
// The error wraps ErrRepo, ErrRef or ErrRelease when the job cannot be done
// at all; problems with single members are in Result.Errors.
func Compare(ctx context.Context, repoDir, ref, releasePath string, o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if o.Limits.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, o.Limits.Timeout, fmt.Errorf("verify-source took longer than %s", o.Limits.Timeout))
		defer cancel()
	}
	tree, err := openTree(ctx, repoDir, ref, o.Limits.MaxEntries)
	if err != nil {
		return nil, err
	}
	rel, err := readRelease(ctx, releasePath, tree, o)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		ref = "HEAD"
	}
	res := &Result{Repo: repoDir, Ref: ref, Commit: tree.commit.String(), Release: releasePath,
		Added: []FileChange{}, Removed: []FileChange{}, Changed: []FileChange{}, Explained: []FileChange{},
		Findings: []finding.Finding{}, Errors: rel.errors, Files: rel.files, Bytes: rel.bytes}
	res.Prefix = commonPrefix(rel.members)
	c := &comparer{res: res, tree: tree, table: o.Table, maxKeep: o.MaxKeep, seen: map[string]*member{}}
	sort.Slice(rel.members, func(i, j int) bool { return rel.members[i].path < rel.members[j].path })
	for _, m := range rel.members {
		c.member(m)
	}
	c.removed()
	for i := range res.Findings {
		res.Findings[i].Location.Target = releasePath
		res.Findings[i].SetID()
	}
	finding.Sort(res.Findings)
	return res, nil
}

// comparer holds the state of one comparison.
type comparer struct {
	res     *Result
	tree    *gitTree
	table   *Table
	maxKeep int64
	seen    map[string]*member // release members by relative path
}

func (c *comparer) relPath(m *member) string {
	if rest, ok := strings.CutPrefix(m.name, c.res.Prefix+"/"); ok && c.res.Prefix != "" {
		return rest
	}
	return m.name
}

// member compares one release file with the tag.
func (c *comparer) member(m *member) {
	rel := c.relPath(m)
	if prev, dup := c.seen[rel]; dup {
		if prev.hash != m.hash {
			// tar extracts the last copy: two different copies under one
			// name let a reviewer look at the harmless one.
			c.report(ruleDuplicate, m, finding.High, finding.ConfidenceHigh,
				fmt.Sprintf("the release holds %s twice with different content; extraction keeps only one of them", rel), "")
		}
	}
	c.seen[rel] = m
	cl, why := classify(rel)
	fc := FileChange{Path: rel, Location: m.path, Class: cl.String(), Size: m.size, Binary: m.binary}
	if m.symlink {
		fc.Note = "symlink to " + clip(m.target, 200)
	}
	tf, inTag := c.tree.files[rel]
	switch {
	case inTag && tf.hash == m.hash:
		c.res.Unchanged++
	case inTag:
		c.changed(m, rel, cl, why, fc)
	default:
		c.added(m, rel, cl, why, fc)
	}
}

// removed lists the tag's files the release does not carry.
func (c *comparer) removed() {
	paths := make([]string, 0, len(c.tree.files))
	for p := range c.tree.files {
		if c.seen[p] == nil {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		cl, _ := classify(p)
		c.res.Removed = append(c.res.Removed, FileChange{Path: p, Class: cl.String()})
	}
	// One finding for what the release dropped: dropping .gitignore or CI
	// files is normal; dropping source is worth a look but not an alarm.
	var src []string
	for _, p := range paths {
		if cl, _ := classify(p); cl == classSource || cl == classBuild {
			src = append(src, p)
		}
	}
	if len(src) > 0 {
		c.res.Findings = append(c.res.Findings, finding.Finding{
			Rule: ruleDropped, Category: finding.ReleaseSourceMismatch, CWE: cweMismatch,
			Severity: finding.Low, Confidence: finding.ConfidenceMedium,
			Title:    rules[ruleDropped],
			Message:  fmt.Sprintf("%s of the tag (source or build files) are not in the release, e.g. %s", plural(len(src), "file", "files"), strings.Join(src[:min(3, len(src))], ", ")),
			Location: finding.Location{Path: c.res.Release}, Evidence: strings.Join(src[:min(10, len(src))], " "),
		})
	}
}
