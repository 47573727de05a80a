package accounts

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
)

// fileRef is one account file of a file system.
type fileRef struct {
	fact analyzer.Fact
	ff   *FileFact
}

// fsys gathers the account files of one file system: one target and one
// container prefix.
type fsys struct {
	files map[string]fileRef // by entry name
}

// account is one login as the system sees it: passwd joined with shadow.
type account struct {
	user             string
	uid, gid         *int
	home, shell      string
	login            bool
	pw, state        string
	pwFile           fileRef // the file holding the password field
	pwLine           Line
	pwField          int
	passwdFile       *fileRef // nil for shadow-only accounts
	passwdLine       Line
	backup           bool
	cracked          *Credential
	groups           []string
	suppressFindings bool
}

// InventoryAccount is one account of the report's inventory.
type InventoryAccount struct {
	Path     string   `json:"path"`
	Name     string   `json:"name"`
	UID      *int     `json:"uid"`
	GID      *int     `json:"gid"`
	Home     string   `json:"home,omitempty"`
	Shell    string   `json:"shell,omitempty"`
	Password string   `json:"password"`
	Login    bool     `json:"login"`
	Cracked  bool     `json:"cracked"`
	Groups   []string `json:"groups,omitempty"`
}

func finish(fp *analyzer.FinishPass) {
	groups := map[string]*fsys{}
	var keys []string
	for _, f := range fp.Facts(factKind) {
		ff, ok := f.Value.(*FileFact)
		if !ok {
			continue
		}
		k := f.Target + "\x00" + ff.Prefix
		g := groups[k]
		if g == nil {
			g = &fsys{files: map[string]fileRef{}}
			groups[k] = g
			keys = append(keys, k)
		}
		g.files[f.Name] = fileRef{fact: f, ff: ff}
	}
	sort.Strings(keys)
	crk := newCracker(defaultDictionary())
	inv := []InventoryAccount{}
	for _, k := range keys {
		for _, a := range groups[k].accounts() {
			if strings.HasPrefix(a.state, "hash:") {
				a.cracked = crk.crack(a.user, a.pw)
			}
			if !a.suppressFindings {
				reportAccount(fp, a)
			}
			if !a.backup {
				inv = append(inv, a.inventory())
			}
		}
		groups[k].checkWebUsers(fp, crk)
	}
	fp.Inventory("accounts", inv)
}

// names returns the file names of a kind, sorted, primaries before
// backups.
func (g *fsys) names(kind fileKind) []string {
	var out []string
	for n, f := range g.files {
		if f.ff.Kind == kind {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		bi, bj := isBackup(out[i]), isBackup(out[j])
		if bi != bj {
			return !bi
		}
		return out[i] < out[j]
	})
	return out
}

// isBackup reports whether an account file is a copy kept by tools
// (passwd-, shadow.bak): not read at login.
func isBackup(name string) bool {
	b := path.Base(name)
	return strings.HasSuffix(b, "-") || strings.HasSuffix(b, ".bak") || strings.HasSuffix(b, ".orig") || strings.HasSuffix(b, ".old")
}

// partner finds the file of another kind that goes with name: the shadow
// of a passwd ("etc/passwd-" → "etc/shadow-"), falling back to the
// primary file in the same folder.
func (g *fsys) partner(name, from, to string) *fileRef {
	dir, base := path.Split(name)
	for _, cand := range []string{dir + strings.Replace(base, from, to, 1), dir + to} {
		if f, ok := g.files[cand]; ok {
			return &f
		}
	}
	return nil
}

// accounts joins passwd and shadow files into accounts.
func (g *fsys) accounts() []*account {
	var out []*account
	primary := map[string]*account{} // user → account of the primary passwd
	seenShadow := map[string]bool{}  // shadow files joined to a passwd
	for _, pn := range g.names(kindPasswd) {
		pf := g.files[pn]
		backup := isBackup(pn)
		sf := g.partner(pn, "passwd", "shadow")
		if sf != nil {
			seenShadow[sf.fact.Name] = true
		}
		shadow := map[string]ShadowEntry{}
		if sf != nil {
			for _, s := range sf.ff.Shadow {
				if _, dup := shadow[s.User]; !dup {
					shadow[s.User] = s
				}
			}
		}
		memberOf := g.memberships(pn)
		for _, e := range pf.ff.Passwd {
			uid, gid := e.UID, e.GID
			a := &account{user: e.User, uid: &uid, gid: &gid, home: e.Home, shell: e.Shell, login: loginShell(e.Shell),
				pw: e.Password, pwFile: pf, pwLine: e.Line, pwField: 1, passwdFile: &pf, passwdLine: e.Line, backup: backup,
				groups: memberOf[e.User]}
			a.state = passwordState(a.pw)
			if e.Password == "x" {
				if s, ok := shadow[e.User]; ok {
					a.pw, a.pwFile, a.pwLine = s.Password, *sf, s.Line
					a.state = passwordState(a.pw)
				} else {
					// BusyBox and glibc: no shadow line, no password login.
					a.state = stateShadow
				}
			}
			if backup {
				if p, ok := primary[e.User]; ok && p.pw == a.pw && *p.uid == uid {
					a.suppressFindings = true // the primary file's findings cover it
				}
			} else if _, dup := primary[e.User]; !dup {
				primary[e.User] = a
			}
			out = append(out, a)
		}
	}
	// A shadow file with no passwd beside it (a lone shadow, a partial
	// extraction): its accounts are reported with what is known.
	if len(g.names(kindPasswd)) == 0 {
		for _, sn := range g.names(kindShadow) {
			if seenShadow[sn] {
				continue
			}
			sf := g.files[sn]
			for _, s := range sf.ff.Shadow {
				out = append(out, &account{user: s.User, login: true, pw: s.Password, state: passwordState(s.Password),
					pwFile: sf, pwLine: s.Line, pwField: 1, backup: isBackup(sn)})
			}
		}
	}
	return out
}

// memberships maps each user to its supplementary groups, from the group
// file beside a passwd file.
func (g *fsys) memberships(passwdName string) map[string][]string {
	out := map[string][]string{}
	if gf := g.partner(passwdName, "passwd", "group"); gf != nil {
		for _, e := range gf.ff.Group {
			for _, m := range e.Members {
				out[m] = append(out[m], e.Name)
			}
		}
	}
	return out
}

func (a *account) inventory() InventoryAccount {
	p := a.pwFile.fact.Path
	if a.passwdFile != nil {
		p = a.passwdFile.fact.Path
	}
	return InventoryAccount{Path: p, Name: a.user, UID: a.uid, GID: a.gid, Home: a.home, Shell: a.shell,
		Password: a.state, Login: a.login, Cracked: a.cracked != nil, Groups: a.groups}
}

// describe names the account for a message: UID and shell.
func (a *account) describe() string {
	if a.uid == nil {
		return fmt.Sprintf("account '%s' (no passwd file beside %s, so UID and shell unknown)", a.user, a.pwFile.fact.Name)
	}
	sh := a.shell
	if sh == "" {
		sh = "/bin/sh (empty field)"
	}
	if !a.login {
		sh += ", no login shell"
	}
	return fmt.Sprintf("account '%s' (UID %d, shell %s)", a.user, *a.uid, sh)
}

// ladder is the severity of a password anyone can use on this account.
func (a *account) ladder() finding.Severity {
	switch {
	case a.uid == nil:
		return finding.High
	case a.login && *a.uid == 0:
		return finding.Critical
	case a.login:
		return finding.High
	}
	return finding.Medium
}

// adjust lowers a severity for backups and test or documentation files.
func (a *account) adjust(s finding.Severity) finding.Severity {
	if a.backup {
		s = min(s, finding.Medium)
	}
	test := a.pwFile.ff.TestOrDocs || (a.passwdFile != nil && a.passwdFile.ff.TestOrDocs)
	return severityFor(s, test)
}

func (a *account) note() string {
	var n []string
	if a.backup {
		n = append(n, "the file is a backup copy, not read at login, but it holds a password the image had or will restore")
	}
	if a.pwFile.ff.TestOrDocs {
		n = append(n, "the file is in a test or documentation folder")
	}
	if len(n) == 0 {
		return ""
	}
	return " (" + strings.Join(n, "; ") + ")"
}

func reportAccount(fp *analyzer.FinishPass, a *account) {
	loc := finding.Location{Target: a.pwFile.fact.Target, Path: a.pwFile.fact.Path, Line: a.pwLine.Line}
	ev := evidenceLine(a.pwLine.Text, a.pwField)
	switch {
	case a.state == stateEmpty:
		fp.Report(finding.Finding{
			Rule: RuleEmpty, Category: finding.BackdoorAccount, CWE: []string{"CWE-258", "CWE-1392"},
			Severity: a.adjust(a.ladder()), Confidence: finding.ConfidenceHigh, Title: Titles[RuleEmpty],
			Message: fmt.Sprintf("%s in %s has an empty password: anyone reaching a login (console, telnet, SSH with empty passwords allowed, su) gets in without one%s",
				a.describe(), a.pwFile.fact.Name, a.note()),
			Location: loc, Evidence: ev,
		})
	case a.cracked != nil:
		c := a.cracked
		fp.Report(finding.Finding{
			Rule: RuleDefault, Category: finding.BackdoorAccount, CWE: []string{"CWE-798", "CWE-1392"},
			Severity: a.adjust(a.ladder()), Confidence: finding.ConfidenceHigh, Title: Titles[RuleDefault],
			Message: fmt.Sprintf("%s in %s has the password '%s' (%s), a published credential: %s — %s%s",
				a.describe(), a.pwFile.fact.Name, finding.Mask(c.Password), strings.TrimPrefix(a.state, "hash:"), c.Source.Description, c.Note, a.note()),
			Location: loc, Evidence: ev, References: []string{c.Source.URL},
		})
	}
	if a.uid != nil && *a.uid == 0 && a.user != "root" && a.passwdFile != nil {
		usable := a.login && a.state != stateLocked && a.state != stateUnknown && a.state != stateShadow
		sev, how := finding.High, "it can log in"
		if !usable {
			sev, how = finding.Low, "its password is locked or it has no login shell, so it cannot log in with a password today"
		}
		fp.Report(finding.Finding{
			Rule: RuleExtraRoot, Category: finding.BackdoorAccount, CWE: []string{"CWE-912"},
			Severity: a.adjust(sev), Confidence: finding.ConfidenceMedium, Title: Titles[RuleExtraRoot],
			Message: fmt.Sprintf("%s in %s has UID 0 besides root: a second superuser whose password is %s; %s%s",
				a.describe(), a.passwdFile.fact.Name, a.state, how, a.note()),
			Location: finding.Location{Target: a.passwdFile.fact.Target, Path: a.passwdFile.fact.Path, Line: a.passwdLine.Line},
			Evidence: evidenceLine(a.passwdLine.Text, 1),
		})
	}
}
