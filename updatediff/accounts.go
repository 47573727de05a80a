package updatediff

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// accountKey identifies an account across versions: its name in the
// folder of its password files (a firmware may carry several roots).
func accountKey(a account) string { return path.Dir(a.Path) + "\x00" + a.Name }

// accounts reports accounts added, removed, given UID 0, opened for login
// or whose password changed. A new account that can log in is a way in
// the update added: high with UID 0, medium otherwise, unless the
// accounts analyzer already reported it (an extra UID-0 user, an empty or
// default password), in which case the change points to its finding.
func (d *differ) accounts() {
	oldBy := map[string]account{}
	for _, a := range d.old.accounts {
		oldBy[accountKey(a)] = a
	}
	newBy := map[string]bool{}
	oldPW, newPW := passwordIndex(d.old.passwords), passwordIndex(d.new.passwords)
	for _, a := range d.new.accounts {
		k := accountKey(a)
		newBy[k] = true
		o, existed := oldBy[k]
		covered := d.reported("", []finding.Category{finding.BackdoorAccount}, func(f *finding.Finding) bool {
			return strings.Contains(f.Message, "'"+a.Name+"'") || strings.HasPrefix(f.Evidence, a.Name+":")
		})
		if !existed {
			d.accountAdded(a, covered)
			continue
		}
		var what []string
		var f *finding.Finding
		c := finding.Change{Kind: KindAccount, Action: Changed, Subject: a.Name, Path: d.new.displayPath(a.Path)}
		if isRoot(a) && !isRoot(o) {
			what = append(what, fmt.Sprintf("UID %s → 0", uidString(o.UID)))
			if covered == nil {
				f = d.newFinding(RuleAccountAdded, a.Path)
				f.Title = "Account given UID 0 by the update"
				f.Severity = finding.High
			}
		}
		if a.Login && !o.Login {
			what = append(what, "login enabled")
			if covered == nil && f == nil {
				f = d.newFinding(RuleLoginEnabled, a.Path)
				f.Severity = finding.Medium
			}
		}
		if a.Password != o.Password {
			what = append(what, fmt.Sprintf("password %s → %s", o.Password, a.Password))
		} else if op, np := oldPW[k], newPW[k]; op != "" && np != "" && op != np {
			// Same scheme, different hash: a new password. The digests
			// say so without showing either hash.
			what = append(what, "password changed")
			c.Severity = finding.Low
		}
		if a.Shell != o.Shell {
			what = append(what, fmt.Sprintf("shell %s → %s", orNone(o.Shell), orNone(a.Shell)))
		}
		if len(what) == 0 {
			continue
		}
		c.Detail = fmt.Sprintf("account '%s': %s", a.Name, strings.Join(what, ", "))
		if f != nil {
			f.Message = c.Detail + " — a way in that the previous version did not have"
			f.Evidence = accountEvidence(a)
			d.change(c, f)
			continue
		}
		if c.Severity == 0 && (a.Password != o.Password || a.Login != o.Login) {
			c.Severity = finding.Low
		}
		link(&c, covered)
		d.change(c, nil)
	}
	for _, o := range d.old.accounts {
		if !newBy[accountKey(o)] {
			d.change(finding.Change{Kind: KindAccount, Action: Removed, Subject: o.Name, Path: d.old.displayPath(o.Path),
				Detail: fmt.Sprintf("account '%s' (UID %s) removed", o.Name, uidString(o.UID))}, nil)
		}
	}
}

// accountAdded records a new account and judges it.
func (d *differ) accountAdded(a account, covered *finding.Finding) {
	c := finding.Change{Kind: KindAccount, Action: Added, Subject: a.Name, Path: d.new.displayPath(a.Path),
		Detail: fmt.Sprintf("new account '%s': %s", a.Name, accountEvidence(a))}
	if covered != nil {
		link(&c, covered)
		d.change(c, nil)
		return
	}
	var f *finding.Finding
	switch {
	case isRoot(a):
		f = d.newFinding(RuleAccountAdded, a.Path)
		f.Severity = finding.High
		f.Message = fmt.Sprintf("the update adds account '%s' with UID 0 (a second superuser); password %s, login %s", a.Name, a.Password, yesNo(a.Login))
	case a.Login:
		f = d.newFinding(RuleAccountAdded, a.Path)
		f.Severity = finding.Medium
		f.Confidence = finding.ConfidenceLow
		f.Message = fmt.Sprintf("the update adds account '%s' that can log in (shell %s, password %s): check that it is intended and documented", a.Name, orNone(a.Shell), a.Password)
	default:
		// A locked system account for a new daemon: routine.
		c.Severity = finding.Info
	}
	if f != nil {
		f.Evidence = accountEvidence(a)
	}
	d.change(c, f)
}

// accountEvidence describes an account without its hash.
func accountEvidence(a account) string {
	return fmt.Sprintf("%s: uid %s, shell %s, password %s", a.Name, uidString(a.UID), orNone(a.Shell), a.Password)
}

// passwordIndex maps accountKey to the digest of the account's hash.
// passwd and shadow live in the same folder, so the key matches the
// accounts inventory's whichever file the hash was read from; shadow
// wins over a hash left in passwd.
func passwordIndex(ps []PasswordDigest) map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		k := path.Dir(p.Path) + "\x00" + p.Name
		if _, ok := out[k]; !ok || baseName(p.Path) == "shadow" {
			out[k] = p.Digest
		}
	}
	return out
}

func isRoot(a account) bool { return a.UID != nil && *a.UID == 0 }

func uidString(u *int) string {
	if u == nil {
		return "?"
	}
	return fmt.Sprint(*u)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
