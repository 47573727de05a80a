package detect

import (
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// 20 MiB uploaded to an unknown host, little coming back: high.
func TestExfilVolume(t *testing.T) {
	c := newCapture()
	for i := 0; i < 10; i++ {
		c.tcp(t0.Add(time.Duration(i)*7*time.Minute+time.Duration(i*i)*time.Second), camera, c2, 443, 2<<20, 4096, time.Minute)
	}
	fs := run(t, c, Options{Allow: mustAllow(t, "recorder.vendor.example\n")})
	e := byRule(fs, RuleExfil)
	if len(e) != 1 || e[0].Severity != finding.High || e[0].Category != finding.DataExfiltration {
		t.Fatalf("want a high exfiltration:\n%s", dump(fs))
	}
}

// The same volume to the allowlisted cloud recorder, and a large download
// from an unknown host: nothing.
func TestExfilNearMiss(t *testing.T) {
	c := newCapture()
	c.lookup(t0, camera, "rec.vendor.example.com", 1, vendor.String())
	for i := 0; i < 10; i++ {
		at := t0.Add(time.Duration(i)*7*time.Minute + time.Duration(i*i)*time.Second + time.Second)
		c.tcp(at, camera, vendor, 443, 2<<20, 4096, time.Minute)
		c.tcp(at.Add(time.Second), camera, c2, 443, 2048, 8<<20, time.Minute)
	}
	fs := run(t, c, Options{Allow: mustAllow(t, ".vendor.example.com")})
	if e := byRule(fs, RuleExfil); len(e) != 0 {
		t.Fatalf("false exfiltration:\n%s", dump(fs))
	}
}
