package inventory

import (
	"net/netip"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(elfSpec{machine: 8, etype: 2, interp: true, symtab: true, data: "http://1.1.1.1/x"}.build())
	f.Add(elfSpec{is64: true, big: true, machine: 21, etype: 3}.build())
	f.Add([]byte("\x7fELF\x02\x01\x01" + string(make([]byte, 57)) + "10.0.0.1 8.8.8.8 http://u:p@[::1]:80/?token=x BusyBox v1.2.3 Linux version 5.4.1 ("))
	f.Add([]byte("NAME=\"x\"\nVERSION_ID=1\n255.255.255.255 1.2.3 1.2.3.4.5 ://1.2.3.4 @9.9.9.9"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ScanIPv4(data, func(a netip.Addr, off int) {
			if !a.Is4() || off < 0 || off >= len(data) {
				t.Fatalf("bad address %v at %d", a, off)
			}
		})
		if u := ExtractURL(data); u != "" {
			ClassifyURL(u)
			MaskURL(u)
		}
		MaskText(string(data))
		for _, src := range []string{"os-release", "openwrt_release", "etc/version"} {
			ParseRelease(src, data)
		}
		busyboxVersion(data)
		kernelVersion(data)
	})
}
