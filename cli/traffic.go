package cli

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic"
	"github.com/doorman-sec/doorman/traffic/detect"
)

func runTraffic(e *env, args []string) int {
	fs := flag.NewFlagSet("traffic", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var rf reportFlags
	rf.register(fs)
	var devices listFlag
	fs.Var(&devices, "device", "the device under test: an `ADDR` or CIDR (repeatable; default: every private address that sends traffic)")
	allow := fs.String("allow", "", "`FILE` of expected destinations, one per line: host names, domains (.example.com), addresses, CIDRs; # comments")
	fwReport := fs.String("firmware-report", "", "a JSON report of `doorman scan` of the device's firmware (`FILE`): endpoints baked into it are cross-checked with those contacted")
	maxFlows := fs.Int("max-flows", detect.DefaultMaxFlows, "flows tracked at once; memory is bounded by this, not by the capture's size")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: doorman traffic [flags] CAPTURE...

Analyse the network traffic of a device under test: pcap and pcapng
captures (Ethernet, Linux cooked, raw IP; VLANs; IPv4 and IPv6) and Zeek
conn.log / dns.log (TSV or JSON), gzip-compressed or not, streamed so that
captures larger than memory work.

It reports periodic callbacks (beacons) and long-lived sessions, DNS
tunnelling and ICMP payloads, inbound "magic" packets followed by new
outbound sessions or uploads, large uploads, destinations outside an
allowlist or absent from the firmware, and credentials sent in clear text
(telnet, FTP, HTTP basic). Each finding names the flows (addresses, ports,
times, bytes) as evidence.

Examples:
  doorman traffic camera.pcapng --device 192.168.1.20
  doorman traffic day1.pcap day2.pcap --allow vendor-hosts.txt --format html -o traffic.html
  doorman scan fw.bin --format json -o fw.json
  doorman traffic cam.pcap --device 10.0.0.5 --firmware-report fw.json
  doorman traffic conn.log dns.log --format sarif -o traffic.sarif

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), `
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 could not do
the job (bad usage, an input that is no capture, an unwritable output).
`)
	}
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return ExitClean
	}
	inputs, err := parseArgs(fs, args)
	if err != nil {
		return ExitError
	}
	if len(inputs) == 0 {
		return e.errorf("traffic needs at least one CAPTURE (pcap, pcapng, Zeek conn.log or dns.log); see doorman traffic --help")
	}
	opts, code := rf.resolve(e)
	if code != 0 {
		return code
	}
	if len(rf.rules) > 0 {
		return e.errorf("--rules does not apply to traffic: its detectors are built in")
	}
	do := detect.Options{MaxFlows: *maxFlows}
	for _, d := range devices {
		p, err := parsePrefix(d)
		if err != nil {
			return e.errorf("--device %q: want an address (192.168.1.20, fd00::5) or a CIDR (10.0.0.0/24)", d)
		}
		do.Devices = append(do.Devices, p)
	}
	if *allow != "" {
		f, err := os.Open(*allow)
		if err != nil {
			return e.errorf("--allow: %v", err)
		}
		do.Allow, err = detect.ParseAllowlist(f)
		f.Close()
		if err != nil {
			return e.errorf("--allow %s: %v", *allow, err)
		}
	}
	if *fwReport != "" {
		eps, err := traffic.FirmwareEndpoints(*fwReport)
		if err != nil {
			return e.errorf("--firmware-report %s: %v", *fwReport, err)
		}
		do.FirmwareEndpoints = eps
	}

	out, closeOut, err := openOutput(e, rf.output)
	if err != nil {
		return e.errorf("cannot write the report: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := traffic.Run(ctx, inputs, traffic.Options{Detect: do, Tool: finding.Tool{Name: "doorman", Version: Version}})
	if err != nil {
		closeOut(false)
		return e.errorf("%v", err)
	}
	return finishReport(e, rep, opts, out, closeOut)
}

// parsePrefix reads an address (a one-address prefix) or a CIDR.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}
