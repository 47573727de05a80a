package pkgmeta

import (
	"bufio"
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// npmInstallHooks are the lifecycle scripts npm runs when a package is
// installed (https://docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-operation-order):
// preinstall, install, postinstall for every dependency; prepare also for
// git dependencies and local installs.
var npmInstallHooks = []string{"preinstall", "install", "postinstall", "preprepare", "prepare", "postprepare"}

func parsePackageJSON(data []byte) (Manifest, bool) {
	var pj struct {
		Name    string            `json:"name"`
		Version string            `json:"version"`
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(data, &pj) != nil || pj.Name == "" {
		return Manifest{}, false
	}
	m := Manifest{Ecosystem: "npm", Name: pj.Name, Version: pj.Version}
	for _, h := range npmInstallHooks {
		if cmd, ok := pj.Scripts[h]; ok && strings.TrimSpace(cmd) != "" {
			m.Hooks = append(m.Hooks, Hook{Name: h, Command: cmd, Files: commandFiles(cmd)})
		}
	}
	return m, true
}

// scriptExt are the extensions of files a hook command may run.
var scriptExt = []string{".js", ".cjs", ".mjs", ".ts", ".sh", ".py", ".rb", ".pl", ".ps1", ".bat", ".cmd"}

// commandFiles picks the package files a hook command runs: words that are
// relative paths to scripts ("node scripts/install.js", "sh ./build.sh").
func commandFiles(cmd string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(cmd, func(r rune) bool { return strings.ContainsRune(" \t&|;()<>", r) }) {
		w = strings.Trim(w, `"'`)
		if w == "" || strings.HasPrefix(w, "-") || strings.HasPrefix(w, "/") || strings.Contains(w, "://") {
			continue
		}
		for _, ext := range scriptExt {
			if strings.HasSuffix(strings.ToLower(w), ext) {
				out = append(out, strings.TrimPrefix(w, "./"))
				break
			}
		}
	}
	return out
}

// parsePythonMetadata reads the RFC 822 header of PKG-INFO (sdists) or
// METADATA (wheels).
func parsePythonMetadata(data []byte) (Manifest, bool) {
	m := Manifest{Ecosystem: "pypi"}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Name: "); ok {
			m.Name = strings.TrimSpace(v)
		} else if v, ok := strings.CutPrefix(line, "Version: "); ok {
			m.Version = strings.TrimSpace(v)
		}
	}
	return m, m.Name != "" && strings.HasPrefix(string(data), "Metadata-Version:")
}

// tomlSection returns the key = "value" pairs of one [section] of a TOML
// file: all a manifest's name and version need (no nested tables).
func tomlSection(data []byte, section string) map[string]string {
	out := map[string]string{}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			in = line == "["+section+"]"
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			out[strings.TrimSpace(k)] = v[1 : len(v)-1]
		}
	}
	return out
}

func parsePyproject(data []byte) (Manifest, bool) {
	s := tomlSection(data, "project")
	if s["name"] == "" {
		s = tomlSection(data, "tool.poetry")
	}
	return Manifest{Ecosystem: "pypi", Name: s["name"], Version: s["version"]}, s["name"] != ""
}

var setupName = regexp.MustCompile(`\bname\s*=\s*["']([A-Za-z0-9._-]{1,100})["']`)
var setupVersion = regexp.MustCompile(`\bversion\s*=\s*["']([A-Za-z0-9._+-]{1,50})["']`)

// parseSetupPy: setup.py is code, run by pip when it installs a source
// distribution; its name is read from the setup() call when literal.
func parseSetupPy(data []byte) (Manifest, bool) {
	if !bytes.Contains(data, []byte("setup(")) {
		return Manifest{}, false
	}
	m := Manifest{Ecosystem: "pypi", Hooks: []Hook{{Name: "setup.py", Files: []string{"setup.py"}}}}
	if s := setupName.FindSubmatch(data); s != nil {
		m.Name = string(s[1])
	}
	if s := setupVersion.FindSubmatch(data); s != nil {
		m.Version = string(s[1])
	}
	return m, true
}

func parseCargo(data []byte) (Manifest, bool) {
	s := tomlSection(data, "package")
	if s["name"] == "" {
		return Manifest{}, false
	}
	build := "build.rs" // Cargo runs build.rs at the package root when present
	if b, ok := s["build"]; ok {
		build = b
	}
	return Manifest{Ecosystem: "cargo", Name: s["name"], Version: s["version"],
		Hooks: []Hook{{Name: "build script", Files: []string{build}}}}, true
}

func parseGoMod(data []byte) (Manifest, bool) {
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			v = strings.Trim(strings.TrimSpace(v), `"`)
			return Manifest{Ecosystem: "go", Name: v}, v != ""
		}
	}
	return Manifest{}, false
}

// debMaintainerScripts run as root when a package is installed, upgraded
// or removed (Debian Policy §6).
var debMaintainerScripts = []string{"preinst", "postinst", "prerm", "postrm", "config"}

func parseDebControl(data []byte) (Manifest, bool) {
	m := Manifest{Ecosystem: "deb"}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Package:"); ok {
			m.Name = strings.TrimSpace(v)
		} else if v, ok := strings.CutPrefix(line, "Version:"); ok {
			m.Version = strings.TrimSpace(v)
		}
	}
	for _, s := range debMaintainerScripts {
		m.Hooks = append(m.Hooks, Hook{Name: s, Files: []string{s}})
	}
	return m, m.Name != ""
}

var gemName = regexp.MustCompile(`(?m)^name: (\S{1,100})`)
var gemVersion = regexp.MustCompile(`(?m)^version: !ruby/object:Gem::Version\s+version: (\S{1,50})`)

func parseGemMetadata(data []byte) (Manifest, bool) {
	if !bytes.HasPrefix(data, []byte("--- !ruby/object:Gem::Specification")) {
		return Manifest{}, false
	}
	m := Manifest{Ecosystem: "gem"}
	if s := gemName.FindSubmatch(data); s != nil {
		m.Name = string(s[1])
	}
	if s := gemVersion.FindSubmatch(data); s != nil {
		m.Version = string(s[1])
	}
	return m, m.Name != ""
}

func parsePomProperties(data []byte) (Manifest, bool) {
	kv := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			kv[k] = v
		}
	}
	if kv["artifactId"] == "" {
		return Manifest{}, false
	}
	name := kv["artifactId"]
	if g := kv["groupId"]; g != "" {
		name = g + ":" + name
	}
	return Manifest{Ecosystem: "maven", Name: name, Version: kv["version"]}, true
}
