package verifysource

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// added judges a file that is only in the release.
func (c *comparer) added(m *member, rel string, cl class, why string, fc FileChange) {
	if s := c.tree.inSubmodule(rel); s != "" {
		fc.Note = "inside submodule " + s + " (its repository is not verified here)"
		c.res.Explained = append(c.res.Explained, fc)
		return
	}
	if m.symlink {
		c.res.Added = append(c.res.Added, fc)
		sev := finding.Low
		if escapes(rel, m.target) {
			sev = finding.High
		}
		c.report(ruleSymlinkAdded, m, sev, finding.ConfidenceHigh,
			fmt.Sprintf("%s is a symlink to %q that the tag does not have", rel, clip(m.target, 200)), m.target)
		return
	}
	switch cl {
	case classM4:
		c.macro(m, rel, fc, nil)
		return
	case classAux:
		c.aux(m, rel, fc, nil)
		return
	case classGenerated, classPO:
		if c.payload(m, rel, nil, "generated file") {
			c.res.Added = append(c.res.Added, fc)
			return
		}
		fc.Note = why
		c.res.Explained = append(c.res.Explained, fc)
		return
	case classBuild:
		c.res.Added = append(c.res.Added, fc)
		if c.payload(m, rel, nil, "build file") {
			return
		}
		c.report(ruleBuildFile, m, finding.High, finding.ConfidenceMedium,
			fmt.Sprintf("%s runs at build time and is in the release but not in the tag, and nothing generates it", rel), firstLines(m.data))
		return
	}
	if m.binary {
		c.res.Added = append(c.res.Added, fc)
		msg := fmt.Sprintf("%s is a binary file (%d bytes) in the release but not in the tag", rel, m.size)
		if testLooking(rel) {
			msg += "; it looks like test data, where xz-utils 5.6 hid its payload (there the files were in git, so one only in the release is even less expected)"
		}
		c.report(ruleBinaryAdded, m, finding.High, finding.ConfidenceHigh, msg, fmt.Sprintf("%s %d bytes", rel, m.size))
		return
	}
	switch cl {
	case classDoc:
		fc.Note = "documentation (not run by the build)"
		c.res.Explained = append(c.res.Explained, fc)
	case classSource:
		c.res.Added = append(c.res.Added, fc)
		c.report(ruleAdded, m, finding.Medium, finding.ConfidenceMedium,
			fmt.Sprintf("source file %s is in the release but not in the tag", rel), firstLines(m.data))
	default:
		c.res.Added = append(c.res.Added, fc)
		c.report(ruleAdded, m, finding.Low, finding.ConfidenceMedium,
			fmt.Sprintf("%s is in the release but not in the tag", rel), firstLines(m.data))
	}
}

// changed judges a file whose content differs from the tag's.
func (c *comparer) changed(m *member, rel string, cl class, why string, fc FileChange) {
	old, haveOld := c.tree.blob(rel, c.maxKeep)
	var addedSet map[uint32]bool
	first := ""
	if haveOld && m.data != nil && !m.symlink {
		fc.Added, fc.Removed, addedSet, first = lineDelta(old, m.data)
		if string(Normalize(old)) == string(Normalize(m.data)) {
			fc.Note = "line endings only"
			c.res.Changed = append(c.res.Changed, fc)
			c.report(ruleLineEndings, m, finding.Low, finding.ConfidenceHigh,
				fmt.Sprintf("%s differs from the tag only in line endings", rel), "")
			return
		}
	}
	delta := fmt.Sprintf("%s changed (+%d -%d)", plural(fc.Added+fc.Removed, "line", "lines"), fc.Added, fc.Removed)
	if !haveOld || m.data == nil {
		delta = "content differs (too large to compare line by line)"
	}
	ev := delta
	if first != "" {
		ev += "; added: `" + clip(strings.TrimSpace(first), 160) + "`"
	}
	switch {
	case m.symlink || c.tree.files[rel].mode == filemode.Symlink:
		c.res.Changed = append(c.res.Changed, fc)
		c.report(ruleSymlinkAdded, m, finding.High, finding.ConfidenceHigh,
			fmt.Sprintf("%s is a different symlink or file type in the release than in the tag", rel), m.target)
		return
	case cl == classM4:
		c.macro(m, rel, fc, old)
		return
	case cl == classAux:
		c.aux(m, rel, fc, old)
		return
	case cl == classGenerated || cl == classPO:
		if c.payload(m, rel, addedSet, "generated file") {
			c.res.Changed = append(c.res.Changed, fc)
			return
		}
		fc.Note = "regenerated: " + why
		c.res.Explained = append(c.res.Explained, fc)
		return
	}
	c.res.Changed = append(c.res.Changed, fc)
	switch {
	case cl == classBuild:
		if c.payload(m, rel, addedSet, "build file") {
			return
		}
		c.report(ruleBuildFile, m, finding.High, finding.ConfidenceHigh,
			fmt.Sprintf("%s runs at build time and differs from the tag: %s", rel, delta), ev)
	case m.binary:
		c.report(ruleChanged, m, finding.High, finding.ConfidenceHigh,
			fmt.Sprintf("binary file %s differs from the tag", rel), fmt.Sprintf("%s %d bytes", rel, m.size))
	case cl == classSource:
		c.report(ruleChanged, m, finding.High, finding.ConfidenceHigh,
			fmt.Sprintf("source file %s differs from the tag: %s", rel, delta), ev)
	case cl == classDoc:
		c.report(ruleChanged, m, finding.Low, finding.ConfidenceHigh,
			fmt.Sprintf("documentation %s differs from the tag: %s", rel, delta), ev)
	default:
		c.report(ruleChanged, m, finding.Medium, finding.ConfidenceHigh,
			fmt.Sprintf("%s differs from the tag: %s", rel, delta), ev)
	}
}

// macro judges an m4 macro file that is new or changed in the release.
// aclocal copies the macro file with the highest "# serial" into
// aclocal.m4 and configure, so a doctored copy that claims a high serial
// survives autoreconf: xz-utils 5.6's build-to-host.m4 claimed serial 30
// against gettext's 3.
func (c *comparer) macro(m *member, rel string, fc FileChange, old []byte) {
	base := path.Base(rel)
	if m.data == nil {
		c.res.appendChange(fc, old != nil)
		c.report(ruleBuildFile, m, finding.High, finding.ConfidenceLow,
			fmt.Sprintf("m4 macro file %s differs from the tag and is too large to check (%d bytes)", rel, m.size), "")
		return
	}
	if p := c.pristine(m.data, base); p != nil {
		fc.Note = "pristine " + describe(p)
		c.res.Explained = append(c.res.Explained, fc)
		return
	}
	c.res.appendChange(fc, old != nil)
	claimed := Version(m.data)
	if vs := c.table.Versions(base); len(vs) > 0 {
		p, a, r, addedSet, first := nearest(vs, m.data)
		hits := payloadLines(m.data, addedSet, 3)
		maxV := c.table.MaxVersion(base)
		conf := finding.ConfidenceMedium
		msg := fmt.Sprintf("%s has the name of an upstream macro file but matches none of the %s known", rel, plural(len(vs), "version", "versions"))
		if claimed != "" && maxV != "" && CompareVersions(claimed, maxV) > 0 {
			conf = finding.ConfidenceHigh
			msg += fmt.Sprintf("; it claims serial %s, above the highest known (%s), so aclocal and autoreconf keep it instead of the real one", claimed, maxV)
		}
		shown := []string{first}
		if len(hits) > 0 {
			conf = finding.ConfidenceHigh
			msg += fmt.Sprintf("; line %d: %s", hits[0].line, hits[0].what)
			shown = shown[:0]
			for _, h := range hits {
				shown = append(shown, h.text)
			}
		}
		ev := fmt.Sprintf("differs from %s in %s (+%d -%d)", describe(p), plural(a+r, "line", "lines"), a, r)
		if shown[0] != "" {
			for i, l := range shown {
				shown[i] = "`" + clip(strings.TrimSpace(l), 200) + "`"
			}
			ev += "; added: " + strings.Join(shown, " ")
		}
		c.report(ruleM4Tampered, m, finding.Critical, conf, msg, ev)
		return
	}
	if c.payload(m, rel, nil, "m4 macro file") {
		return
	}
	what := "is in the release but not in the tag"
	if old != nil {
		what = fmt.Sprintf("differs from the tag (+%d -%d lines)", fc.Added, fc.Removed)
	}
	c.report(ruleBuildFile, m, finding.High, finding.ConfidenceMedium,
		fmt.Sprintf("m4 macro file %s %s and is no known upstream macro file; configure is generated from it", rel, what), firstLines(m.data))
}

// aux judges a build-aux helper (config.guess, ltmain.sh, …) that is new or
// changed. Projects update these often and Debian's copies are one
// snapshot, so an unknown version alone is only worth a low finding;
// payload code added to one is critical.
func (c *comparer) aux(m *member, rel string, fc FileChange, old []byte) {
	base := path.Base(rel)
	if m.data != nil {
		if p := c.pristine(m.data, base); p != nil {
			fc.Note = "pristine " + describe(p)
			c.res.Explained = append(c.res.Explained, fc)
			return
		}
	}
	var addedSet map[uint32]bool
	ev := ""
	if vs := c.table.Versions(base); len(vs) > 0 && m.data != nil {
		p, a, r, set, _ := nearest(vs, m.data)
		addedSet = set
		ev = fmt.Sprintf("differs from %s in %s (+%d -%d)", describe(p), plural(a+r, "line", "lines"), a, r)
	} else if old != nil && m.data != nil {
		_, _, addedSet, _ = lineDelta(old, m.data)
	}
	if c.payload(m, rel, addedSet, "build helper") {
		c.res.appendChange(fc, old != nil)
		return
	}
	fc.Note = "generated helper; version not in the pristine table"
	c.res.Explained = append(c.res.Explained, fc)
	c.report(ruleAuxUnknown, m, finding.Low, finding.ConfidenceLow,
		fmt.Sprintf("build helper %s (version %q) matches no pristine copy doorman knows; compare it with upstream", rel, Version(m.data)), ev)
}

// payload reports payload-extraction code in a file's lines (only the added
// ones when only is non-nil) and says whether it found any.
func (c *comparer) payload(m *member, rel string, only map[uint32]bool, what string) bool {
	if m.data == nil || m.binary {
		return false
	}
	hits := payloadLines(m.data, only, 3)
	if len(hits) == 0 {
		return false
	}
	var ev []string
	for _, h := range hits {
		ev = append(ev, fmt.Sprintf("line %d: `%s`", h.line, clip(strings.TrimSpace(h.text), 200)))
	}
	c.report(rulePayload, m, finding.Critical, finding.ConfidenceHigh,
		fmt.Sprintf("%s %s in the release has shell code that extracts or runs hidden data at build time (%s), like the xz-utils 5.6 backdoor", what, rel, hits[0].what),
		strings.Join(ev, "; "))
	return true
}

// pristine returns the table's version with exactly this content, when
// its name matches (a pristine file under another name is still one).
func (c *comparer) pristine(data []byte, base string) *Pristine {
	ps := c.table.Lookup(ContentSHA256(data))
	for _, p := range ps {
		if p.Name == base {
			return p
		}
	}
	if len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// describe names a pristine version: "gnulib build-to-host.m4 serial 3".
func describe(p *Pristine) string {
	pkg, _, _ := strings.Cut(p.Origin, " ")
	s := pkg + " " + p.Name
	if p.Version != "" {
		if p.Kind == "m4" {
			s += " serial " + p.Version
		} else {
			s += " " + p.Version
		}
	}
	return s
}

func (r *Result) appendChange(fc FileChange, changed bool) {
	if changed {
		r.Changed = append(r.Changed, fc)
	} else {
		r.Added = append(r.Added, fc)
	}
}

// escapes reports whether a symlink at rel points outside the source tree.
func escapes(rel, target string) bool {
	if strings.HasPrefix(target, "/") {
		return true
	}
	p := path.Join(path.Dir(rel), target)
	return p == ".." || strings.HasPrefix(p, "../")
}

// firstLines returns the first non-blank lines of a text, for evidence.
func firstLines(b []byte) string {
	if b == nil || !artifact.LooksText(b[:min(len(b), artifact.HeadSize)]) {
		return ""
	}
	var out []string
	for _, l := range Lines(b[:min(len(b), 4096)]) {
		if t := strings.TrimSpace(l); t != "" {
			out = append(out, clip(t, 120))
			if len(out) == 3 {
				break
			}
		}
	}
	return strings.Join(out, " | ")
}
