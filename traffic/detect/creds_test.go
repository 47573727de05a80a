package detect

import (
	"encoding/base64"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// session adds a TCP exchange with scripted payloads: even entries from
// the client, odd ones from the server.
func session(c *capture, at time.Time, cl, srv netip.Addr, port uint16, lines ...string) {
	sp := c.nextPort()
	c.pkt(at, event.TCP, cl, sp, srv, port, event.SYN, nil, 0)
	c.pkt(at.Add(time.Millisecond), event.TCP, srv, port, cl, sp, event.SYN|event.ACK, nil, 0)
	for i, l := range lines {
		when := at.Add(time.Duration(i+2) * 10 * time.Millisecond)
		if i%2 == 0 {
			c.pkt(when, event.TCP, cl, sp, srv, port, event.ACK|event.PSH, []byte(l), 0)
		} else {
			c.pkt(when, event.TCP, srv, port, cl, sp, event.ACK|event.PSH, []byte(l), 0)
		}
	}
}

func TestCredentialsFTPByDevice(t *testing.T) {
	c := newCapture()
	session(c, t0, camera, c2, 21, "", "220 ready\r\n", "USER backup\r\n", "331 pw\r\n", "PASS s3cretpass\r\n", "230 ok\r\n")
	fs := run(t, c, Options{})
	cr := byRule(fs, RuleCredByDevice)
	if len(cr) != 1 || cr[0].Category != finding.HardcodedCredential || cr[0].Severity != finding.High {
		t.Fatalf("want a device credential:\n%s", dump(fs))
	}
	checkMasked(t, fs, "s3cretpass")
	if !strings.Contains(cr[0].Evidence, finding.Mask("s3cretpass")) {
		t.Errorf("evidence %q lacks the masked password", cr[0].Evidence)
	}
}

// Telnet login to the device, typed one character per packet with option
// negotiation in between.
func TestCredentialsTelnet(t *testing.T) {
	c := newCapture()
	lines := []string{"\xff\xfb\x18\xff\xfd\x01", "\xff\xfd\x18BusyBox v1.31\r\nlogin: "}
	for _, ch := range "root\r" {
		lines = append(lines, string(ch), string(ch))
	}
	lines[len(lines)-1] = "\r\nPassword: "
	for _, ch := range "xc3511\r\n" {
		lines = append(lines, string(ch), "")
	}
	session(c, t0, phone, camera, 23, lines...)
	fs := run(t, c, Options{Devices: mustPrefixes("192.168.1.20/32")})
	cr := byRule(fs, RuleCredCleartext)
	if len(cr) != 1 || cr[0].Category != finding.WeakIntegrity || !strings.Contains(cr[0].Message, "'root'") {
		t.Fatalf("want a telnet login:\n%s", dump(fs))
	}
	checkMasked(t, fs, "xc3511")
}

func TestCredentialsHTTPBasicAndIMAP(t *testing.T) {
	c := newCapture()
	auth := base64.StdEncoding.EncodeToString([]byte("admin:hunter2hunter2"))
	session(c, t0, camera, c2, 8080, "GET /api HTTP/1.1\r\nHost: c2.example.com\r\nAuthorization: Basic "+auth+"\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n")
	session(c, t0.Add(time.Second), camera, c2, 143, "a1 LOGIN mailer \"m4ilpass\"\r\n", "a1 OK\r\n")
	fs := run(t, c, Options{})
	if cr := byRule(fs, RuleCredByDevice); len(cr) != 2 {
		t.Fatalf("want HTTP and IMAP credentials:\n%s", dump(fs))
	}
	checkMasked(t, fs, "hunter2hunter2", "m4ilpass", auth)
}

// Anonymous FTP, an HTTP request without credentials, a Bearer token (not
// a password) and a login repeated every minute (one finding).
func TestCredentialsNearMiss(t *testing.T) {
	c := newCapture()
	session(c, t0, camera, c2, 21, "", "220 ready\r\n", "USER anonymous\r\n", "331\r\n", "PASS guest@example.com\r\n", "230\r\n")
	session(c, t0.Add(time.Second), camera, c2, 80, "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: cam/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n")
	session(c, t0.Add(2*time.Second), camera, c2, 80, "GET / HTTP/1.1\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n")
	fs := run(t, c, Options{})
	if cr := append(byRule(fs, RuleCredByDevice), byRule(fs, RuleCredCleartext)...); len(cr) != 0 {
		t.Fatalf("false credential:\n%s", dump(fs))
	}
	c = newCapture()
	for i := 0; i < 5; i++ {
		session(c, t0.Add(time.Duration(i)*time.Minute), camera, c2, 21, "", "220\r\n", "USER u\r\n", "331\r\n", "PASS p4ssw0rd\r\n", "230\r\n")
	}
	if cr := byRule(run(t, c, Options{}), RuleCredByDevice); len(cr) != 1 {
		t.Fatalf("repeated login: %d findings", len(cr))
	}
}

func checkMasked(t *testing.T, fs []finding.Finding, secrets ...string) {
	t.Helper()
	for _, f := range fs {
		for _, s := range secrets {
			if strings.Contains(f.Message, s) || strings.Contains(f.Evidence, s) {
				t.Errorf("secret %q in clear in %s", s, f.Rule)
			}
		}
	}
}
