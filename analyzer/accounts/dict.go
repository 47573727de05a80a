package accounts

import (
	_ "embed" // the credential dictionary
	"fmt"
	"strings"
	"sync"
)

// credentialsTSV is the dictionary of published default and backdoor
// credentials; its header names the sources and the date it was built.
//
//go:embed credentials.tsv
var credentialsTSV string

// Source is where a published password comes from.
type Source struct {
	ID, URL, Description string
}

// Credential is one published user name and password.
type Credential struct {
	User     string // "*" for any account
	Password string
	Source   *Source
	Note     string
}

// Dictionary is the parsed credential list.
type Dictionary struct {
	Creds []Credential
}

// ParseDictionary reads the format of credentials.tsv. Every credential
// must cite a declared source with a URL.
func ParseDictionary(text string) (*Dictionary, error) {
	d := &Dictionary{}
	sources := map[string]*Source{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "source" && len(f) == 4:
			if !strings.HasPrefix(f[2], "https://") {
				return nil, fmt.Errorf("line %d: source %q without an https URL", n+1, f[1])
			}
			sources[f[1]] = &Source{ID: f[1], URL: f[2], Description: f[3]}
		case f[0] == "cred" && len(f) == 5:
			s := sources[f[3]]
			if s == nil {
				return nil, fmt.Errorf("line %d: unknown source %q", n+1, f[3])
			}
			d.Creds = append(d.Creds, Credential{User: f[1], Password: f[2], Source: s, Note: f[4]})
		default:
			return nil, fmt.Errorf("line %d: want a source or cred row, got %.60q", n+1, line)
		}
	}
	return d, nil
}

// defaultDictionary is the embedded list, parsed once.
var defaultDictionary = sync.OnceValue(func() *Dictionary {
	d, err := ParseDictionary(credentialsTSV)
	if err != nil {
		// Part of the binary and checked by the tests: a build defect.
		panic("accounts: embedded credentials.tsv: " + err.Error())
	}
	return d
})

// Candidates returns the passwords to try for an account, each once, in
// order: those the list pairs with the account's name, then those for any
// account, then every other password of the list.
func (d *Dictionary) Candidates(user string) []Credential {
	seen := map[string]bool{}
	var out []Credential
	add := func(match func(c Credential) bool) {
		for _, c := range d.Creds {
			if match(c) && !seen[c.Password] {
				seen[c.Password] = true
				out = append(out, c)
			}
		}
	}
	add(func(c Credential) bool { return c.User == user })
	add(func(c Credential) bool { return c.User == "*" })
	add(func(Credential) bool { return true })
	return out
}
