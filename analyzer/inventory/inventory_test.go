package inventory

import (
	"fmt"
	"strings"
	"testing"
)

func TestEndpoints(t *testing.T) {
	r := scan(t, map[string]string{
		"etc/config/cloud": "option server 'https://cloud.vendor-iot.net/api/v1'\n" +
			"option backup 'ftp://admin:Hunter22pass@8.8.4.4/backup/'\n" +
			"option ntp '1.1.1.1'\n" +
			"option lan '192.168.1.1'\n" +
			"option doc '192.0.2.15'\n" +
			"option docurl 'http://198.51.100.7/x'\n" +
			"option ex 'http://www.example.com/a'\n" +
			"option inv 'http://updates.vendor.invalid/a'\n" +
			"option loc 'http://printer.local/'\n" +
			"option ver 'linux-2.6.36.4 v1.2.3.4 1.2.3.4.5 255.255.255.0 10.0.0.300'\n" +
			"option ipurl 'http://1.1.1.1/dns-query'\n",
		"www/index.html": "<html xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"https://cloud.vendor-iot.net/api/v1\">x</a>" +
			"<!-- http://www.apache.org/licenses/LICENSE-2.0 http://www.gnu.org/licenses/gpl.html -->" +
			"<script src=\"http://%s/update.js\"></script></html>\n",
		"usr/sbin/agent": string(elfSpec{machine: 8, etype: 2, data: "\x00http://telemetry.vendor-iot.net/collect?token=abcdef123456\x00 8.8.8.8 \x00"}.build()),
	})
	eps := inv[Endpoint](t, r, "endpoints")
	byValue := map[string]Endpoint{}
	for _, e := range eps {
		byValue[e.Kind+" "+e.Value] = e
	}
	for _, want := range []string{
		"url https://cloud.vendor-iot.net/api/v1",
		"url ftp://admin:Hun*********@8.8.4.4/backup/",
		"ip 1.1.1.1",
		"ip 192.168.1.1",
		"url http://1.1.1.1/dns-query",
		"url http://telemetry.vendor-iot.net/collect?token=abc*********",
	} {
		if _, ok := byValue[want]; !ok {
			t.Errorf("missing %q in %v", want, keys(byValue))
		}
	}
	for _, not := range []string{"192.0.2.15", "198.51.100.7", "example.com", ".invalid", ".local", "w3.org", "apache.org", "gnu.org", "%s",
		"2.6.36.4", "1.2.3.4", "255.255.255.0", "Hunter22pass", "abcdef123456", "ip 8.8.8.8"} {
		for v := range byValue {
			if strings.Contains(v, not) && !(not == "1.2.3.4" && strings.Contains(v, "1.1.1.1")) {
				t.Errorf("%q should be excluded, got %q", not, v)
			}
		}
	}
	if e := byValue["ip 192.168.1.1"]; !e.Private {
		t.Errorf("192.168.1.1 not private: %+v", e)
	}
	if e := byValue["ip 1.1.1.1"]; e.Private {
		t.Errorf("1.1.1.1 private: %+v", e)
	}
	e := byValue["url https://cloud.vendor-iot.net/api/v1"]
	if e.Count != 2 || !strings.HasSuffix(e.Path, "etc/config/cloud") || e.Host != "cloud.vendor-iot.net" {
		t.Errorf("dedupe: %+v", e)
	}
}

func keys(m map[string]Endpoint) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEndpointCap(t *testing.T) {
	files := map[string]string{}
	for f := 0; f < 3; f++ {
		var b strings.Builder
		for i := 0; i < 600; i++ {
			fmt.Fprintf(&b, "https://h%d-%d.vendor-iot.net/\n", f, i)
		}
		files[fmt.Sprintf("etc/list%d.txt", f)] = b.String()
	}
	if n := len(inv[Endpoint](t, scan(t, files), "endpoints")); n != maxEndpoints {
		t.Fatalf("got %d endpoints, want the cap %d", n, maxEndpoints)
	}
}

func TestOS(t *testing.T) {
	kernel := "\x00\x01garbage Linux version 5.15.134 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 12.3.0) 12.3.0) #0 SMP\x00"
	r := scan(t, map[string]string{
		"etc/os-release":      "NAME=\"OpenWrt\"\nVERSION=\"23.05.3\"\nID=\"openwrt\"\nVERSION_ID=\"23.05.3\"\nPRETTY_NAME=\"OpenWrt 23.05.3\"\n",
		"etc/openwrt_release": "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.3'\nDISTRIB_REVISION='r23809-234f1a2efa'\nDISTRIB_DESCRIPTION='OpenWrt 23.05.3 r23809-234f1a2efa'\n",
		"etc/version":         "\nV1.0.8 build 20230110\n",
		"bin/busybox":         string(elfSpec{machine: 8, etype: 2, data: "BusyBox v1.36.1 (2024-03-01 12:00:00 UTC)\x00"}.build()),
		"boot/vmlinux.bin":    kernel,
		"usr/share/doc/notes": "This needs Linux version 2.6 or later.\n", // prose, no banner
	})
	got := map[string]OS{}
	for _, o := range inv[OS](t, r, "os") {
		got[o.Source] = o
	}
	check := func(src, name, version string) {
		t.Helper()
		o, ok := got[src]
		if !ok || o.Name != name || o.Version != version || o.Path == "" {
			t.Errorf("%s: got %+v (all %+v)", src, o, got)
		}
	}
	check("os-release", "OpenWrt", "23.05.3")
	check("openwrt_release", "OpenWrt", "23.05.3")
	check("etc/version", "", "V1.0.8 build 20230110")
	check("busybox", "BusyBox", "1.36.1")
	check("kernel", "Linux", "5.15.134")
	if len(got) != 5 {
		t.Errorf("got %d os entries: %+v", len(got), got)
	}
}
