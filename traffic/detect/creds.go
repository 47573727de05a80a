package detect

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/netip"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// maxCredField bounds a user name or password being collected.
const maxCredField = 128

// credState follows a login exchange in one TCP connection.
type credState struct {
	proto      string // "telnet", "ftp", "pop3"
	user       string
	want       int // telnet: 0 nothing, 1 user, 2 password
	buf        []byte
	client     netip.Addr
	clientPort uint16
}

// servicePort names the cleartext login protocols recognised by port.
func servicePort(port uint16) string {
	switch port {
	case 23, 2323:
		return "telnet"
	case 21:
		return "ftp"
	case 110:
		return "pop3"
	case 143:
		return "imap"
	}
	return ""
}

// inspectCredentials looks for cleartext logins: telnet prompts and the
// client's replies, FTP and POP3 USER/PASS, IMAP LOGIN, and HTTP Basic
// authorization on any port. src sent p.
func (d *Detector) inspectCredentials(f *flow, p *event.Packet, src netip.Addr) {
	data := p.Payload
	if svc := servicePort(p.DstPort); svc != "" {
		d.credClient(f, svc, src, p.SrcPort, p.Dst.Unmap(), p.DstPort, data)
		return
	}
	if svc := servicePort(p.SrcPort); svc == "telnet" {
		if f.cred == nil {
			f.cred = &credState{proto: svc}
		}
		lower := bytes.ToLower(data)
		switch {
		case bytes.Contains(lower, []byte("password:")) || bytes.Contains(lower, []byte("passcode:")):
			f.cred.want, f.cred.buf = 2, f.cred.buf[:0]
		case bytes.Contains(lower, []byte("login:")) || bytes.Contains(lower, []byte("username:")):
			f.cred.want, f.cred.buf = 1, f.cred.buf[:0]
		}
		return
	}
	if isHTTPRequest(data) {
		d.httpBasic(p, src, data)
	}
}

// credClient handles bytes a client sent to a login service.
func (d *Detector) credClient(f *flow, svc string, client netip.Addr, cport uint16, server netip.Addr, sport uint16, data []byte) {
	if f.cred == nil {
		f.cred = &credState{proto: svc}
	}
	c := f.cred
	c.client, c.clientPort = client, cport
	emit := func(user, pass string) {
		d.reportCredential(svc, client, cport, server, sport, user, pass)
	}
	switch svc {
	case "telnet":
		if c.want == 0 {
			return
		}
		for _, b := range stripTelnet(data) {
			if b == '\r' || b == '\n' || b == 0 {
				if len(c.buf) == 0 {
					continue
				}
				if c.want == 1 {
					c.user = string(c.buf)
				} else {
					emit(c.user, string(c.buf))
				}
				c.want, c.buf = 0, c.buf[:0]
				return
			}
			if b == 0x7f || b == 0x08 { // backspace
				if len(c.buf) > 0 {
					c.buf = c.buf[:len(c.buf)-1]
				}
				continue
			}
			if len(c.buf) < maxCredField && b >= 0x20 && b < 0x7f {
				c.buf = append(c.buf, b)
			}
		}
	case "ftp", "pop3":
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimRight(line, "\r")
			cmd, arg, _ := strings.Cut(line, " ")
			switch strings.ToUpper(cmd) {
			case "USER":
				c.user = clip(arg)
			case "PASS":
				if !anonymous(c.user) {
					emit(c.user, clip(arg))
				}
			}
		}
	case "imap":
		for _, line := range strings.Split(string(data), "\n") {
			fields := strings.Fields(strings.TrimRight(line, "\r"))
			if len(fields) >= 4 && strings.EqualFold(fields[1], "LOGIN") {
				user, pass := strings.Trim(fields[2], `"`), strings.Trim(fields[3], `"`)
				if !anonymous(user) {
					emit(clip(user), clip(pass))
				}
			}
		}
	}
}

// anonymous reports the FTP convention for a public login, whose
// "password" is an e-mail address by custom, not a secret.
func anonymous(user string) bool {
	u := strings.ToLower(user)
	return u == "anonymous" || u == "ftp"
}

func clip(s string) string {
	if len(s) > maxCredField {
		return s[:maxCredField]
	}
	return s
}

// stripTelnet removes telnet IAC commands and option negotiation.
func stripTelnet(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != 0xff {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			break
		}
		switch b[i+1] {
		case 0xff: // an escaped 0xff data byte
			out = append(out, 0xff)
			i++
		case 0xfb, 0xfc, 0xfd, 0xfe: // WILL WONT DO DONT option
			i += 2
		case 0xfa: // subnegotiation up to IAC SE
			j := bytes.Index(b[i:], []byte{0xff, 0xf0})
			if j < 0 {
				return out
			}
			i += j + 1
		default:
			i++
		}
	}
	return out
}

var httpMethods = []string{"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT "}

func isHTTPRequest(b []byte) bool {
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return false
}

// httpBasic reports an Authorization or Proxy-Authorization: Basic header.
func (d *Detector) httpBasic(p *event.Packet, src netip.Addr, data []byte) {
	for _, line := range strings.Split(string(data), "\n") {
		name, val, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "authorization" && name != "proxy-authorization" {
			continue
		}
		scheme, tok, _ := strings.Cut(strings.TrimSpace(val), " ")
		if !strings.EqualFold(scheme, "basic") {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(tok))
		if err != nil {
			continue
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok || pass == "" {
			continue
		}
		d.reportCredential("http", src, p.SrcPort, p.Dst.Unmap(), p.DstPort, clip(user), clip(pass))
	}
}

// reportCredential: a device sending a password is a credential baked into
// it (hardcoded-credential, high); anyone else logging in in cleartext —
// to the device or between other hosts — is a weakness (medium).
func (d *Detector) reportCredential(svc string, client netip.Addr, cport uint16, server netip.Addr, sport uint16, user, pass string) {
	if pass == "" {
		return
	}
	masked := finding.Mask(pass)
	ev := fmt.Sprintf("%s:%d -> %s:%d/tcp %s user %q password %q", client, cport, server, sport, svc, user, masked)
	srv := label(server, d.st.names.names(server))
	if d.isDevice(client) {
		msg := fmt.Sprintf("device %s sent the password '%s' for user '%s' in cleartext %s to %s:%d", client, masked, user, svc, srv, sport)
		// The connection's own port is not part of the evidence key, so a
		// device logging in every minute gives one finding.
		key := fmt.Sprintf("%s -> %s:%d/tcp %s user %q password %q", client, server, sport, svc, user, masked)
		f := newFinding(RuleCredByDevice, finding.High, finding.ConfidenceMedium, d.source, msg, key)
		f.Evidence = ev
		d.reportOnce(f, key)
		return
	}
	msg := fmt.Sprintf("%s logged in to %s:%d over cleartext %s as '%s' with the password '%s'", client, srv, sport, svc, user, masked)
	key := fmt.Sprintf("%s:%d/tcp %s user %q password %q", server, sport, svc, user, masked)
	f := newFinding(RuleCredCleartext, finding.Medium, finding.ConfidenceHigh, d.source, msg, key)
	f.Evidence = ev
	d.reportOnce(f, key)
}

// reportOnce reports f unless a finding with the same rule and key was
// already reported; f's id is derived from the key, not the evidence, so it
// is stable however many times the login recurs.
func (d *Detector) reportOnce(f finding.Finding, key string) {
	f.ID = finding.Fingerprint(f.Rule, f.Location.Path, key)
	d.report(f)
}
