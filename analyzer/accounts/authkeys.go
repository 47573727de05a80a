package accounts

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/privatekey"
	"github.com/doorman-sec/doorman/finding"
	"golang.org/x/crypto/ssh"
)

// AuthorizedKey is one key line of an authorized_keys file.
type AuthorizedKey struct {
	Line
	Type, Fingerprint, Comment string
}

// ParseAuthorizedKeys reads the keys of an authorized_keys file (lines
// may start with options); lines that are not keys are skipped.
func ParseAuthorizedKeys(data []byte) []AuthorizedKey {
	var out []AuthorizedKey
	lines(data, func(l Line) {
		pub, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(l.Text))
		if err != nil {
			return
		}
		out = append(out, AuthorizedKey{Line: l, Type: pub.Type(), Fingerprint: ssh.FingerprintSHA256(pub), Comment: comment})
	})
	return out
}

// keyOwner says whose login a file of authorized keys opens, from its
// place: root's home and Dropbear's file (read for root on OpenWrt and
// most BusyBox systems) give a superuser; other homes a user.
func keyOwner(name string) (owner string, root bool) {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "root/.ssh/") || strings.Contains(n, "/root/.ssh/"):
		return "root", true
	case strings.Contains(n, "etc/dropbear/"):
		return "root (Dropbear)", true
	}
	home := path.Dir(path.Dir(n)) // home/alice/.ssh/authorized_keys → home/alice
	return "'" + path.Base(home) + "'", false
}

// runAuthorizedKeys reports each key of an authorized_keys file. In an
// image, no key of the eventual owner can be there: each shipped key is a
// login for whoever holds its private half. Keys whose private half is
// published (the compromised-keys list) are a login for anyone.
func runAuthorizedKeys(p *analyzer.Pass, data []byte, testOrDocs bool) {
	owner, root := keyOwner(p.Entry.Name)
	table := privatekey.DefaultTable()
	for _, k := range ParseAuthorizedKeys(data) {
		ev := fmt.Sprintf("%s %s %s", k.Type, k.Fingerprint, k.Comment)
		ev = strings.TrimSpace(ev)
		loc := finding.Location{Line: k.Line.Line}
		if c, ok := table.Lookup(&privatekey.Key{SSHFingerprint: k.Fingerprint}); ok {
			msg := fmt.Sprintf("%s authorizes the %s key %s as a login for %s, and its private half is public (%s): anyone can log in",
				p.Entry.Name, k.Type, k.Fingerprint, owner, strings.Join(c.Products, "; "))
			if testOrDocs {
				msg += " (the file is in a test or documentation folder)"
			}
			p.Report(finding.Finding{
				Rule: RuleKnownKey, Category: finding.BackdoorAccount, CWE: []string{"CWE-798", "CWE-321"},
				Severity: severityFor(finding.Critical, testOrDocs), Confidence: finding.ConfidenceHigh, Title: Titles[RuleKnownKey],
				Message: msg, Location: loc, Evidence: ev, References: c.References,
			})
			continue
		}
		sev := finding.Medium
		if root {
			sev = finding.High
		}
		msg := fmt.Sprintf("%s authorizes the %s key %s (%q) as a login for %s: whoever holds its private half gets in, without the device's owner knowing",
			p.Entry.Name, k.Type, k.Fingerprint, k.Comment, owner)
		if testOrDocs {
			msg += " (the file is in a test or documentation folder)"
		}
		p.Report(finding.Finding{
			Rule: RuleAuthKey, Category: finding.BackdoorAccount, CWE: []string{"CWE-912"},
			Severity: severityFor(sev, testOrDocs), Confidence: finding.ConfidenceMedium, Title: Titles[RuleAuthKey],
			Message: msg, Location: loc, Evidence: ev,
		})
	}
}
