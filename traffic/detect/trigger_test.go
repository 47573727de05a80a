package detect

import (
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// background gives the camera an ordinary life: its web UI answering the
// phone, and an hourly upload to its cloud that starts on its own.
func background(c *capture) {
	for i := 0; i < 6; i++ {
		at := t0.Add(time.Duration(i) * 10 * time.Minute)
		c.tcp(at, phone, camera, 80, 400, 9000, time.Second)
	}
}

// A magic UDP datagram to a port the camera never answers, then 1.5 s
// later a reverse shell to the sender that uploads 300 KiB.
func TestTriggerMagicUDP(t *testing.T) {
	c := newCapture()
	background(c)
	at := t0.Add(25 * time.Minute)
	c.pkt(at, event.UDP, attacker, 5555, camera, 31337, 0, []byte("MAGIC-0xdeadbeef"), 0)
	c.tcp(at.Add(1500*time.Millisecond), camera, attacker, 4444, 300<<10, 2048, 20*time.Second)
	fs := run(t, c, Options{})
	tr := byRule(fs, RuleTrigger)
	if len(tr) != 1 || tr[0].Severity != finding.High || tr[0].Category != finding.HiddenTrigger {
		t.Fatalf("want a high trigger:\n%s", dump(fs))
	}
	if !contains(tr[0].Evidence, "4d414749432d") || !contains(tr[0].Message, "callback") {
		t.Errorf("evidence lacks the payload or the callback: %s / %s", tr[0].Message, tr[0].Evidence)
	}
	up := byRule(fs, RuleTriggeredUpload)
	if len(up) != 1 || up[0].Category != finding.DataExfiltration {
		t.Fatalf("want a triggered upload:\n%s", dump(fs))
	}
}

// SYNs to three closed ports (reset), then a callback: critical.
func TestTriggerKnock(t *testing.T) {
	c := newCapture()
	background(c)
	at := t0.Add(25 * time.Minute)
	for i, port := range []uint16{7000, 8000, 9000} {
		when := at.Add(time.Duration(i) * 300 * time.Millisecond)
		c.pkt(when, event.TCP, attacker, 6000+uint16(i), camera, port, event.SYN, nil, 0)
		c.pkt(when.Add(time.Millisecond), event.TCP, camera, port, attacker, 6000+uint16(i), event.RST|event.ACK, nil, 0)
	}
	c.tcp(at.Add(3*time.Second), camera, attacker, 443, 600, 600, 5*time.Second)
	fs := run(t, c, Options{})
	tr := byRule(fs, RuleTrigger)
	if len(tr) != 1 || tr[0].Severity != finding.Critical || !contains(tr[0].Message, "7000,8000,9000") {
		t.Fatalf("want a critical knock:\n%s", dump(fs))
	}
}

// The phone asks the camera's web UI for something and the camera then
// fetches from its cloud; and the camera's own hourly upload starts with
// nothing inbound. Neither is a trigger.
func TestTriggerNearMiss(t *testing.T) {
	c := newCapture()
	background(c)
	at := t0.Add(25 * time.Minute)
	c.tcp(at, phone, camera, 80, 500, 300, time.Second)
	c.tcp(at.Add(2*time.Second), camera, vendor, 443, 800, 50000, 2*time.Second)
	for i := 0; i < 3; i++ {
		c.tcp(t0.Add(time.Duration(i)*time.Hour+30*time.Second), camera, c2, 8443, 200<<10, 1024, 30*time.Second)
	}
	fs := run(t, c, Options{})
	if tr := append(byRule(fs, RuleTrigger), byRule(fs, RuleTriggeredUpload)...); len(tr) != 0 {
		t.Fatalf("false trigger:\n%s", dump(fs))
	}
}

// The same story from Zeek conn.log records: an unanswered UDP datagram
// (S0) then a new outbound session to the sender.
func TestTriggerFromConnLog(t *testing.T) {
	c := newCapture()
	at := t0.Add(time.Minute)
	c.conn(event.Conn{Start: at, Src: attacker, Dst: camera, Proto: event.UDP, SrcPort: 5555, DstPort: 31337, OrigBytes: 16, OrigPkts: 1, State: "S0", Source: "conn.log:3"})
	c.conn(event.Conn{Start: at.Add(2 * time.Second), Duration: 30 * time.Second, Src: camera, Dst: attacker, Proto: event.TCP, SrcPort: 40001, DstPort: 4444,
		OrigBytes: 1 << 20, RespBytes: 100, OrigPkts: 800, RespPkts: 400, State: "SF", Source: "conn.log:4"})
	fs := run(t, c, Options{})
	if len(byRule(fs, RuleTrigger)) != 1 || len(byRule(fs, RuleTriggeredUpload)) != 1 {
		t.Fatalf("want a trigger and an upload from conn.log:\n%s", dump(fs))
	}
}
