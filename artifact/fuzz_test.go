package artifact_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// fuzzLimits are tight so that one input costs milliseconds, and small
// enough (MemoryBuffer) that spooling to disk is exercised too.
func fuzzLimits() artifact.Limits {
	return artifact.Limits{
		MaxDepth: 6, MaxFileSize: 1 << 20, MaxTotalSize: 16 << 20,
		MaxRatio: 100, RatioFloor: 64 << 10, MaxEntries: 20000, MemoryBuffer: 64 << 10,
	}
}

// fuzzSlow is how long one input may take before it counts as a finding:
// with fuzzLimits a walk takes milliseconds, so a slow input is a
// denial of service.
const fuzzSlow = 2 * time.Second

// bzip2Hello is "hello doorman\n" compressed by bzip2 -9 (Go has no
// encoder; the fixture must not depend on the program being installed).
const bzip2Hello = "425a6839314159265359a581fa2a000002d1800010400026479000200022980da8201a69a104aa468fa7b85dc914e142429607e8a8"

// fuzzSeeds are small valid samples of every format the walker opens, and
// a blob with a gzip inside, so the fuzzer starts from inputs that get
// past the first checks.
func fuzzSeeds(tb testing.TB) [][]byte {
	passwd := []byte(artifacttest.Passwd)
	tarball := artifacttest.Tar(tb,
		artifacttest.TarMember{Header: tar.Header{Name: "etc/", Typeflag: tar.TypeDir, Mode: 0o755}},
		artifacttest.File("etc/passwd", passwd),
		artifacttest.File("etc/init.d/rcS", []byte("#!/bin/sh\ntelnetd\n")),
	)
	bz, _ := hex.DecodeString(bzip2Hello)
	var sq bytes.Buffer
	if err := sqfswrite.Write(&sq, []sqfswrite.Entry{{Path: "etc/passwd", Mode: 0o644, Data: passwd}}, sqfswrite.WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	blob := artifacttest.Random(8<<10, 3)
	copy(blob[0x801:], artifacttest.Gzip(tb, tarball, "rootfs.tar"))
	return [][]byte{
		tarball,
		artifacttest.Gzip(tb, tarball, ""),
		artifacttest.Zip(tb, artifacttest.ZipMember{Name: "etc/passwd", Data: passwd}, artifacttest.ZipMember{Name: "stored.txt", Data: []byte("stored\n"), Store: true}),
		artifacttest.XZ(tb, tarball),
		bz,
		artifacttest.Zstd(tb, tarball),
		artifacttest.LZ4(tb, tarball),
		artifacttest.LZMA(tb, passwd, 1<<16),
		fixture.UImage("Linux", artifacttest.Gzip(tb, []byte("Linux version 6.1\n"), ""), 1),
		artifacttest.ELF64(),
		artifacttest.Cpio(artifacttest.CpioMember{Name: "etc/passwd", Data: passwd}),
		sq.Bytes(),
		blob,
	}
}

var carvedName = regexp.MustCompile(`^[a-z0-9]+@0x([0-9a-f]+)$`)

// fuzzWalk walks data as a file with fuzzLimits and fails on anything a
// hostile input must not cause: a panic (reported by the walker as an
// internal error), a name that climbs out of its container, content over
// the limits, content on an entry that has none, a slow walk. It returns
// the visited entries in order.
func fuzzWalk(t *testing.T, data []byte, lim artifact.Limits, workers int) []*artifact.Entry {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.bin")
	if err := os.WriteFile(target, data, 0o644); err != nil {
		t.Fatal(err)
	}
	spool := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), fuzzSlow)
	defer cancel()
	var mu sync.Mutex
	var visited []*artifact.Entry
	var problems []string
	fail := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	errs := 0
	w := artifact.NewWalker(artifact.Config{
		Limits: lim, TempDir: spool, Workers: workers,
		Visit: func(e *artifact.Entry, src artifact.Source) {
			if !strings.HasPrefix(e.Path, target) {
				fail("path %q outside the target", e.Path)
			}
			if e.Carved {
				if !carvedName.MatchString(e.Name) {
					fail("carved name %q", e.Name)
				}
			} else if e.Depth > 0 && (e.Name != artifact.CleanName(e.Name) || strings.Contains("/"+e.Name+"/", "/../")) {
				fail("unclean name %q", e.Name)
			}
			if e.Depth > lim.MaxDepth {
				fail("%s at depth %d", e.Path, e.Depth)
			}
			if (src == nil) == e.IsRegular() {
				fail("%s (%s): content %v", e.Path, e.Kind, src != nil)
			}
			if src != nil {
				if src.Size() != e.Size {
					fail("%s: size %d, content %d", e.Path, e.Size, src.Size())
				}
				if e.Depth > 0 && !e.Carved && e.Size > lim.MaxFileSize {
					fail("%s: %d bytes over MaxFileSize", e.Path, e.Size)
				}
				// Read the first and last bytes, as analyzers do.
				var b [512]byte
				if _, err := src.ReadAt(b[:], 0); err != nil && err != io.EOF {
					fail("%s: reading: %v", e.Path, err)
				}
				src.ReadAt(b[:], max(0, src.Size()-int64(len(b))))
			}
			c := *e
			c.Parent = nil
			mu.Lock()
			visited = append(visited, &c)
			mu.Unlock()
		},
		OnError: func(p string, err error) {
			mu.Lock()
			errs++
			mu.Unlock()
			if strings.Contains(err.Error(), "internal error") {
				fail("panic: %s: %v", p, err)
			}
		},
	})
	start := time.Now()
	if err := w.WalkTarget(ctx, target); err != nil {
		t.Fatalf("target refused: %v", err)
	}
	if d := time.Since(start); d > fuzzSlow {
		fail("walk took %v", d)
	}
	if errs > artifact.MaxErrorsPerTarget+20 {
		fail("%d errors", errs)
	}
	if left := artifacttest.Files(t, spool); len(left) > 0 {
		fail("spool files left: %v", left)
	}
	if len(problems) > 0 {
		t.Fatalf("%d problems, first: %s", len(problems), strings.Join(problems[:min(len(problems), 5)], "; "))
	}
	return visited
}

// FuzzWalk walks arbitrary bytes as a target file.
func FuzzWalk(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWalk(t, data, fuzzLimits(), 2)
	})
}

// FuzzCarve treats arbitrary bytes as a raw blob and checks what carving
// finds: regions named KIND@0xOFFSET inside the blob, in order, not
// overlapping a region whose length was known. Four 0xff bytes in front
// keep the formats with a magic at 0 (and LZMA, whose "magic" is a
// plausible header) from taking the blob whole; inputs that still make a
// valid header at 257 (tar) are walked as such and not checked further.
func FuzzCarve(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		blob := append([]byte{0xff, 0xff, 0xff, 0xff}, data...)
		lim := fuzzLimits()
		lim.MaxDepth = 1 // carved regions are listed, not opened
		// One worker: regions are visited in the order carving finds them.
		visited := fuzzWalk(t, blob, lim, 1)
		if len(visited) == 0 || visited[0].Depth != 0 {
			t.Fatalf("the blob itself was not visited first")
		}
		if k := visited[0].Kind; k != artifact.KindData {
			return
		}
		end := int64(0)
		n := 0
		for _, e := range visited[1:] {
			if !e.Carved || e.Depth != 1 {
				t.Fatalf("%s: not a carved region at depth 1", e.Path)
			}
			var off int64
			fmt.Sscanf(carvedName.FindStringSubmatch(e.Name)[1], "%x", &off)
			if off < 4 || off >= int64(len(blob)) || off < end || off+e.Size > int64(len(blob)) {
				t.Fatalf("%s: region [%d, %d) in a blob of %d, previous region ends at %d", e.Name, off, off+e.Size, len(blob), end)
			}
			if off+e.Size < int64(len(blob)) { // length known: nothing may start inside
				end = off + e.Size
			} else {
				end = off + 1
			}
			n++
		}
		if n > artifact.MaxCarveCandidates {
			t.Fatalf("%d regions carved", n)
		}
	})
}
