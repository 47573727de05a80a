package exe

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseSystem parses every ELF file under /usr/bin and /usr/lib
// (symbolic links not followed): files/s, bytes/s and allocations per
// file. Run with -benchtime=1x.
func BenchmarkParseSystem(b *testing.B) {
	var files []string
	var total int64
	for _, root := range []string{"/usr/bin", "/usr/lib"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			f, err := os.Open(p)
			if err != nil {
				return nil
			}
			var m [4]byte
			n, _ := f.Read(m[:])
			st, _ := f.Stat()
			f.Close()
			if n == 4 && string(m[:]) == "\x7fELF" {
				files = append(files, p)
				total += st.Size()
			}
			return nil
		})
	}
	if len(files) == 0 {
		b.Skip("no ELF files")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range files {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			st, _ := f.Stat()
			if _, err := Parse(f, st.Size()); err != nil {
				b.Errorf("%s: %v", p, err)
			}
			f.Close()
		}
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(len(files))/secs, "files/s")
	b.ReportMetric(float64(total)/secs/(1<<20), "MiB/s")
	b.ReportMetric(float64(len(files)), "files")
}
