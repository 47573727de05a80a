package updatepath

import (
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(shebang + "FW=/tmp/fw.bin\nwget -q -O $FW http://192.0.2.1/fw.bin\nmtd -r write $FW firmware\n"))
	f.Add([]byte("f() { curl -kfsSLo \"$2\" \"$1\"; }\nf https://x.example.com/a /tmp/a\n[ \"$(sha256sum /tmp/a|cut -c1-64)\" = abc ] && sysupgrade /tmp/a\n"))
	f.Add([]byte("tftp -gr a.bin -l /tmp/a 192.0.2.1; echo \"$(md5sum /tmp/a)\" | md5sum -c - && dd if=/tmp/a of=/dev/mtd3\n"))
	f.Add([]byte("ftpget -u a -p b h /tmp/x x; tar -xzf /tmp/x -C / ; opkg install http://x/y.ipk; usign -V -m /tmp/x -p k\n"))
	f.Add([]byte("case $1 in start) wget -O- $U | sh ;; esac\nx=$(($(cat a)+1))\n((((((\n"))
	f.Add([]byte("#option check_signature\nsrc/gz a http://x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := parseScript(data)
		for _, fl := range analyze(s) {
			if fl.dl == nil || fl.sink == nil || fl.line < 0 {
				t.Fatalf("bad flow %+v", fl)
			}
			_ = stripTokens(fl.dl.url)
		}
		ParseOpkgConf(data, "etc/opkg.conf")
		_ = firmwareURL(cString(data))
	})
}
