package accounts

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/format/crypt"
)

// checkWebUsers reports users of web servers' password files whose
// password is empty or published. The web interface of a device is its
// administration: whoever logs in there reconfigures it. A plain-text
// password that is not in the list is left to the credential analyzers.
func (g *fsys) checkWebUsers(fp *analyzer.FinishPass, crk *cracker) {
	for _, kind := range []fileKind{kindWebPlain, kindHTPasswd} {
		for _, n := range g.names(kind) {
			f := g.files[n]
			for _, u := range f.ff.Web {
				checkWebUser(fp, crk, f, u)
			}
		}
	}
}

func checkWebUser(fp *analyzer.FinishPass, crk *cracker, f fileRef, u WebUser) {
	plain := f.ff.Kind == kindWebPlain
	var cred *Credential
	var what string
	switch {
	case plain && u.Password == "":
		what = "an empty password"
	case plain:
		for _, c := range defaultDictionary().Candidates(u.User) {
			if c.Password == u.Password {
				cred = &c
				break
			}
		}
	case crypt.Identify(u.Password) != crypt.Unknown:
		cred = crk.crack(u.User, u.Password)
	}
	if cred == nil && what == "" {
		return
	}
	f2 := finding.Finding{
		Rule: RuleWebDefault, Category: finding.BackdoorAccount, CWE: []string{"CWE-1392", "CWE-798"},
		Severity: severityFor(finding.High, f.ff.TestOrDocs), Confidence: finding.ConfidenceHigh, Title: Titles[RuleWebDefault],
		Location: finding.Location{Target: f.fact.Target, Path: f.fact.Path, Line: u.Line.Line},
	}
	if plain {
		f2.Evidence = u.User + ":" + finding.Mask(u.Password)
	} else {
		f2.Evidence = u.User + ":" + shortHash(u.Password)
	}
	if cred != nil {
		what = fmt.Sprintf("the password '%s', a published credential: %s — %s", finding.Mask(cred.Password), cred.Source.Description, cred.Note)
		f2.References = []string{cred.Source.URL}
	}
	store := "stored in plain text"
	if !plain {
		store = "stored as " + string(crypt.Identify(u.Password))
	}
	f2.Message = fmt.Sprintf("web-interface user '%s' in %s has %s (%s): whoever reaches the web interface administers the device", u.User, f.fact.Name, what, store)
	if f.ff.TestOrDocs {
		f2.Message += " (the file is in a test or documentation folder)"
	}
	if strings.TrimSpace(f2.Message) != "" {
		fp.Report(f2)
	}
}
