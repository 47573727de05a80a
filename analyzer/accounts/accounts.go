// Package accounts finds logins that let someone in without the owner
// knowing: accounts with an empty password, extra UID-0 accounts, password
// hashes that a published default or backdoor password opens, planted SSH
// authorized keys, and web-interface users with default passwords.
//
// It reads passwd, shadow and group files (with their "-" backups and the
// places embedded systems keep them: etc/config/passwd, var/passwd,
// etc/*.passwd), SSH authorized_keys files (root's, users' and Dropbear's)
// and web servers' user files (.htpasswd, lighttpd.user, Boa's *.passwd).
// Each file is parsed in Run and recorded as a fact; the final pass joins
// passwd and shadow of the same file system (same container, so the two
// halves of one image meet and two images do not mix) and reports one
// finding per account and problem, at the line that holds the password.
//
// Hashes are checked against an embedded dictionary of published
// credentials (credentials.tsv: the Mirai botnet's table, passwords named
// in CVEs, vendors' documented defaults), each cited in the finding, within
// a budget of estimated work so that slow schemes and hostile round counts
// cannot stall a scan. Evidence shortens hashes and masks passwords.
//
// Severity follows who gets in: an open or published password on a UID-0
// account with a shell is critical, on another account with a shell high,
// on an account without a shell medium (other services that check the
// password, such as FTP or a web interface reading /etc/shadow, may still
// accept it); an extra UID-0 account is high while it can log in and low
// when locked. Files in test, example or documentation folders are low.
//
// Rules:
//
//	DM-ACCT-001  Account with an empty password
//	DM-ACCT-002  Account with a published default password
//	DM-ACCT-003  Extra account with UID 0
//	DM-ACCT-004  SSH authorized key shipped in the image
//	DM-ACCT-005  Authorized SSH key whose private half is public (critical)
//	DM-ACCT-006  Web-interface user with a default or empty password
//
// The final pass lists every account in the report's inventory under
// "accounts".
package accounts

import (
	"bytes"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Rule ids.
const (
	RuleEmpty       = "DM-ACCT-001"
	RuleDefault     = "DM-ACCT-002"
	RuleExtraRoot   = "DM-ACCT-003"
	RuleAuthKey     = "DM-ACCT-004"
	RuleKnownKey    = "DM-ACCT-005"
	RuleWebDefault  = "DM-ACCT-006"
	factKind        = "account-file"
	maxAccountsFile = analyzer.MaxData
)

// Titles maps each rule id to its title.
var Titles = map[string]string{
	RuleEmpty:      "Account with an empty password",
	RuleDefault:    "Account with a published default password",
	RuleExtraRoot:  "Extra account with UID 0",
	RuleAuthKey:    "SSH authorized key shipped in the image",
	RuleKnownKey:   "Authorized SSH key whose private half is public",
	RuleWebDefault: "Web-interface user with a default or empty password",
}

// Analyzer is the accounts analyzer with the embedded dictionary.
var Analyzer = &analyzer.Analyzer{
	Name: "accounts",
	Doc:  "finds empty, default and backdoor passwords and extra UID-0 accounts in passwd/shadow files, planted SSH authorized keys, and web users with default passwords",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size <= maxAccountsFile && kindOf(e.Name) != kindNone
	},
	Run:    run,
	Finish: finish,
}

// fileKind is what a file is, from its name.
type fileKind string

const (
	kindNone     fileKind = ""
	kindPasswd   fileKind = "passwd"
	kindShadow   fileKind = "shadow"
	kindGroup    fileKind = "group"
	kindAuthKeys fileKind = "authorized_keys"
	kindHTPasswd fileKind = "htpasswd"      // user:hash
	kindWebPlain fileKind = "web-plain"     // user:password
	kindVendorPw fileKind = "vendor-passwd" // passwd or user:hash lines
)

// kindOf classifies an entry by its name inside its container.
func kindOf(name string) fileKind {
	n := strings.ToLower(name)
	dir, base := path.Split(n)
	dir = strings.TrimSuffix(dir, "/")
	accountDir := dir == "etc" || strings.HasSuffix(dir, "/etc") || dir == "var" || strings.HasSuffix(dir, "/var") ||
		dir == "etc/config" || strings.HasSuffix(dir, "/etc/config")
	switch base {
	case "passwd", "passwd-", "passwd.bak", "passwd.orig", "passwd.old":
		if accountDir {
			return kindPasswd
		}
	case "shadow", "shadow-", "shadow.bak", "shadow.orig", "shadow.old":
		if accountDir {
			return kindShadow
		}
	case "group", "group-":
		if accountDir {
			return kindGroup
		}
	case "authorized_keys", "authorized_keys2":
		if path.Base(dir) == ".ssh" || dir == "etc/dropbear" || strings.HasSuffix(dir, "/etc/dropbear") {
			return kindAuthKeys
		}
	case "lighttpd.user":
		return kindWebPlain
	case ".htpasswd", "htpasswd", "lighttpd.htpasswd":
		return kindHTPasswd
	}
	if strings.HasSuffix(base, ".htpasswd") {
		return kindHTPasswd
	}
	if strings.HasSuffix(base, ".passwd") && (strings.HasPrefix(n, "etc/") || strings.Contains(n, "/etc/")) {
		return kindVendorPw
	}
	return kindNone
}

// FileFact is the fact recorded for each account file.
type FileFact struct {
	Kind       fileKind
	Prefix     string // the entry's path minus its name: one file system
	TestOrDocs bool
	Passwd     []PasswdEntry
	Shadow     []ShadowEntry
	Group      []GroupEntry
	Web        []WebUser
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if len(data) == 0 || bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
		return // empty, too large, or binary (usr/bin/passwd is not a passwd file)
	}
	e := p.Entry
	f := &FileFact{Kind: kindOf(e.Name), Prefix: strings.TrimSuffix(e.Path, e.Name), TestOrDocs: analyzer.InTestOrDocs(e)}
	switch f.Kind {
	case kindPasswd:
		f.Passwd = ParsePasswd(data)
	case kindShadow:
		f.Shadow = ParseShadow(data)
	case kindGroup:
		f.Group = ParseGroup(data)
	case kindAuthKeys:
		runAuthorizedKeys(p, data, f.TestOrDocs)
		return
	case kindHTPasswd, kindWebPlain:
		f.Web = ParseWebUsers(data)
	case kindVendorPw:
		// Vendors name both passwd-format files and web user files
		// *.passwd: the lines decide.
		if f.Passwd = ParsePasswd(data); len(f.Passwd) > 0 {
			f.Kind = kindPasswd
		} else {
			f.Kind, f.Web = kindHTPasswd, ParseWebUsers(data)
		}
	}
	if len(f.Passwd)+len(f.Shadow)+len(f.Group)+len(f.Web) > 0 {
		p.AddFact(factKind, f)
	}
}

// severityFor lowers a severity for files that only test or document.
func severityFor(s finding.Severity, testOrDocs bool) finding.Severity {
	if testOrDocs {
		return min(s, finding.Low)
	}
	return s
}
