package lockfile

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// npmLock is package-lock.json / npm-shrinkwrap.json: v1 nests
// "dependencies"; v2 has both; v3 has only "packages", keyed by path
// ("node_modules/a/node_modules/b").
type npmLock struct {
	LockfileVersion int                   `json:"lockfileVersion"`
	Packages        map[string]npmPackage `json:"packages"`
	Dependencies    map[string]npmPackage `json:"dependencies"`
}

type npmPackage struct {
	Version      string                `json:"version"`
	Resolved     string                `json:"resolved"`
	Integrity    string                `json:"integrity"`
	Link         bool                  `json:"link"`
	Bundled      bool                  `json:"bundled"`
	InBundle     bool                  `json:"inBundle"`
	Name         string                `json:"name"`
	Dependencies map[string]npmPackage `json:"dependencies"` // v1 only
}

// maxNPMDepth bounds v1's nesting, which a hostile file can make deep.
const maxNPMDepth = 64

func checkNPM(r *reporter, data []byte) {
	var lock npmLock
	if err := json.Unmarshal(data, &lock); err != nil {
		return // not a lockfile we can read; other analyzers still see it
	}
	if len(lock.Packages) > 0 {
		for _, key := range sortedKeys(lock.Packages) {
			if key == "" {
				continue // the root project
			}
			pkg := lock.Packages[key]
			name := pkg.Name
			if name == "" {
				i := strings.LastIndex(key, "node_modules/")
				if i < 0 {
					continue // a workspace folder
				}
				name = key[i+len("node_modules/"):]
			}
			checkNPMPackage(r, name, atText(`"`+key+`"`), pkg)
		}
		return
	}
	var walk func(deps map[string]npmPackage, depth int)
	walk = func(deps map[string]npmPackage, depth int) {
		if depth > maxNPMDepth {
			return
		}
		for _, name := range sortedKeys(deps) {
			pkg := deps[name]
			checkNPMPackage(r, name, atText(`"`+name+`"`), pkg)
			walk(pkg.Dependencies, depth+1)
		}
	}
	walk(lock.Dependencies, 0)
}

func checkNPMPackage(r *reporter, name string, at loc, pkg npmPackage) {
	r.checkName(pkgname.NPM, name, at)
	if pkg.Link || pkg.Bundled || pkg.InBundle {
		return // a workspace link or a bundled copy: nothing is downloaded
	}
	resolved := pkg.Resolved
	if resolved == "" && strings.Contains(pkg.Version, ":") {
		resolved = pkg.Version // v1 writes git and file sources as the version
	}
	r.checkJSSource(name, resolved, at)
	if pkg.Integrity != "" {
		if !validSRI(pkg.Integrity) {
			r.report(ruleBadHash, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
				"Malformed integrity hash in lockfile",
				fmt.Sprintf("%s has integrity %q, which is not a well-formed sha1/sha512 digest: no download can match it", name, pkg.Integrity),
				atText(pkg.Integrity), pkg.Integrity)
		}
		return
	}
	if isRegistryTarball(resolved) {
		r.report(ruleNoHash, finding.DependencyRisk, finding.Low, finding.ConfidenceMedium,
			"Registry dependency without an integrity hash",
			fmt.Sprintf("%s is downloaded from the registry with no integrity field: a changed tarball would install unnoticed", name),
			at, name+" "+resolved)
	}
}

// isRegistryTarball reports whether resolved is a tarball URL (registry
// downloads carry integrity; git and file sources do not).
func isRegistryTarball(resolved string) bool {
	l := strings.ToLower(resolved)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && strings.Contains(l, ".tgz")
}
