package cli

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

var (
	trafficT0 = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	camera    = netip.MustParseAddr("192.168.1.20")
	resolver  = netip.AddrPortFrom(netip.MustParseAddr("192.168.1.1"), 53)
	c2Server  = netip.AddrPortFrom(netip.MustParseAddr("203.0.113.7"), 443)
	ntpServer = netip.AddrPortFrom(netip.MustParseAddr("198.51.100.10"), 123)
)

// beaconCapture is a camera that resolves c2.example.com and then calls it
// every five minutes (±2 s) for two hours, plus NTP polling: a pcapng made
// by the test helpers, read through the real command.
func beaconCapture(t *testing.T, beacon bool) string {
	t.Helper()
	w := pcaptest.New(pcaptest.Options{Format: pcaptest.PCAPNG})
	at := trafficT0
	w.DNSQuery(at, netip.AddrPortFrom(camera, 40000), resolver, 1, "c2.example.com", 1)
	w.DNSResponse(at.Add(20*time.Millisecond), netip.AddrPortFrom(camera, 40000), resolver, 1, "c2.example.com", 1, "203.0.113.7")
	for i := 0; i < 24; i++ {
		at = trafficT0.Add(time.Duration(i)*5*time.Minute + time.Duration(i%3)*time.Second + time.Second)
		if beacon {
			w.TCPSession(at, netip.AddrPortFrom(camera, uint16(50000+i)), c2Server,
				[][]byte{bytes.Repeat([]byte("k"), 310)}, [][]byte{bytes.Repeat([]byte("r"), 120)})
		}
		// NTP every 5 minutes too: 48-byte packets to a time server.
		w.UDP(at.Add(30*time.Second), netip.AddrPortFrom(camera, 123), ntpServer, make([]byte, 48))
		w.UDP(at.Add(30*time.Second+40*time.Millisecond), ntpServer, netip.AddrPortFrom(camera, 123), make([]byte, 48))
	}
	p := filepath.Join(t.TempDir(), "camera.pcapng")
	if err := w.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func runTrafficArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"traffic"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestTrafficBeaconThroughTheCommand(t *testing.T) {
	capture := beaconCapture(t, true)
	allow := filepath.Join(t.TempDir(), "allow.txt")
	os.WriteFile(allow, []byte("# the vendor's cloud and time servers\n.vendor.example\n198.51.100.0/24\n"), 0o644)
	code, out, errs := runTrafficArgs(t, capture, "--device", "192.168.1.20", "--allow", allow, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1; stderr %s\n%s", code, errs, out)
	}
	var rep finding.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Command != "traffic" || len(rep.Targets) != 1 || rep.Targets[0].SHA256 == "" || rep.Targets[0].Size == 0 {
		t.Errorf("report envelope: %+v", rep.Targets)
	}
	var beacon *finding.Finding
	for i, f := range rep.Findings {
		if f.Rule == "DM-NET-001" {
			beacon = &rep.Findings[i]
		}
		if strings.Contains(f.Message, "198.51.100.10") && f.Severity >= finding.Medium {
			t.Errorf("allowlisted NTP server reported: %+v", f)
		}
	}
	if beacon == nil || beacon.Severity != finding.High || !strings.Contains(beacon.Message, "c2.example.com") || beacon.Location.Path != capture {
		t.Fatalf("want a high beacon to c2.example.com located at the capture, got %+v", rep.Findings)
	}
	if rep.Inventory["captures"] == nil || rep.Inventory["traffic"] == nil {
		t.Errorf("inventory: %v", rep.Inventory)
	}
}

func TestTrafficCleanCaptureExitsZero(t *testing.T) {
	code, out, errs := runTrafficArgs(t, beaconCapture(t, false), "--device", "192.168.1.20")
	if code != ExitClean {
		t.Fatalf("exit %d, want 0; stderr %s\n%s", code, errs, out)
	}
}

func TestTrafficErrors(t *testing.T) {
	dir := t.TempDir()
	notCapture := filepath.Join(dir, "notes.txt")
	os.WriteFile(notCapture, []byte("hello\n"), 0o644)
	if code, _, errs := runTrafficArgs(t, notCapture); code != ExitError || !strings.Contains(errs, "not a pcap") {
		t.Errorf("a text file: exit %d, %s", code, errs)
	}
	if code, _, _ := runTrafficArgs(t, filepath.Join(dir, "missing.pcap")); code != ExitError {
		t.Errorf("a missing file: exit %d", code)
	}
	if code, _, errs := runTrafficArgs(t); code != ExitError || !strings.Contains(errs, "CAPTURE") {
		t.Errorf("no capture: exit %d, %s", code, errs)
	}
	if code, _, errs := runTrafficArgs(t, notCapture, "--device", "not-an-ip"); code != ExitError || !strings.Contains(errs, "--device") {
		t.Errorf("bad --device: exit %d, %s", code, errs)
	}
	// A capture cut short keeps what was read and names the rest.
	full, _ := os.ReadFile(beaconCapture(t, true))
	cut := filepath.Join(dir, "cut.pcapng")
	os.WriteFile(cut, full[:len(full)*2/3+7], 0o644)
	code, out, errs := runTrafficArgs(t, cut, "--format", "json", "--fail-on", "none")
	if code != ExitClean {
		t.Fatalf("truncated capture: exit %d; %s", code, errs)
	}
	var rep finding.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Errors) != 1 || rep.Errors[0].Path != cut {
		t.Fatalf("want one error naming the truncated capture, got %v %+v", err, rep.Errors)
	}
	if code, out, _ := runTrafficArgs(t, "--help"); code != ExitClean || !strings.Contains(out, "--firmware-report") {
		t.Errorf("--help: %d", code)
	}
}
