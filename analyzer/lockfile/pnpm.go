package lockfile

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// checkPnpm reads pnpm-lock.yaml. Its "packages" map is keyed by
// "/name@version" (lockfile v5/v6) or "name@version" (v9), with a
// "resolution" holding an integrity, or a tarball URL, or a git repo and
// commit.
func checkPnpm(r *reporter, data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return
	}
	pkgs := mapValue(doc.Content[0], "packages")
	if pkgs == nil || pkgs.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(pkgs.Content); i += 2 {
		k, v := pkgs.Content[i], pkgs.Content[i+1]
		name := pnpmName(k.Value)
		at := atLine(k.Line)
		r.checkName(pkgname.NPM, name, at)
		res := mapValue(v, "resolution")
		if res == nil {
			continue
		}
		integrity := scalar(mapValue(res, "integrity"))
		tarball := scalar(mapValue(res, "tarball"))
		repo := scalar(mapValue(res, "repo"))
		switch {
		case repo != "":
			r.checkJSSource(name, "git+"+repo, at)
		case tarball != "":
			r.checkJSSource(name, tarball, at)
		}
		if integrity != "" && !validSRI(integrity) {
			r.report(ruleBadHash, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
				"Malformed integrity hash in lockfile",
				fmt.Sprintf("%s has integrity %q, which is not a well-formed digest", name, integrity), at, integrity)
		}
		if integrity == "" && repo == "" && scalar(mapValue(res, "directory")) == "" && (tarball == "" || isRegistryTarball(tarball)) {
			r.report(ruleNoHash, finding.DependencyRisk, finding.Low, finding.ConfidenceMedium,
				"Registry dependency without an integrity hash",
				fmt.Sprintf("%s has no integrity in pnpm-lock.yaml", name), at, k.Value)
		}
	}
}

// pnpmName turns "/@babel/core@7.24.0(supports-color@8.1.1)" into
// "@babel/core".
func pnpmName(key string) string {
	k := strings.TrimPrefix(key, "/")
	if i := strings.IndexByte(k, '('); i >= 0 {
		k = k[:i]
	}
	if i := strings.LastIndexByte(k, '@'); i > 0 {
		return k[:i]
	}
	if i := strings.LastIndexByte(k, '/'); i > 0 && !strings.HasPrefix(k, "@") { // v5: "/name/1.2.3"
		return k[:i]
	}
	return k
}

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
