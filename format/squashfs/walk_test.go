package squashfs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

func manyFiles(n int) []sqfswrite.Entry {
	var entries []sqfswrite.Entry
	for i := range n {
		name := fmt.Sprintf("dir%d/file-%04d-%s", i%3, i, strings.Repeat("p", 60))
		entries = append(entries, sqfswrite.Entry{Path: name, Mode: 0o644, Data: sqfstest.Text(uint64(i), 100)})
	}
	return entries
}

// TestMaxFiles: the walk stops with ErrLimit after exactly MaxFiles
// entries.
func TestMaxFiles(t *testing.T) {
	im := openBytes(t, writeImage(t, manyFiles(50), sqfswrite.WriteOptions{}), Options{MaxFiles: 10})
	calls := 0
	err := im.Walk(func(*File) error { calls++; return nil })
	if !errors.Is(err, ErrLimit) {
		t.Errorf("Walk error %v, want ErrLimit", err)
	}
	if calls != 10 {
		t.Errorf("fn called %d times, want 10", calls)
	}
}

// TestMaxMetadataBytes: a metadata budget smaller than the image's
// metadata stops Open or Walk with ErrLimit.
func TestMaxMetadataBytes(t *testing.T) {
	data := writeImage(t, manyFiles(2000), sqfswrite.WriteOptions{})
	for _, budget := range []int64{1, 20_000} {
		im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxMetadataBytes: budget})
		if err == nil {
			err = im.Walk(func(*File) error { return nil })
		}
		if !errors.Is(err, ErrLimit) {
			t.Errorf("budget %d: error %v, want ErrLimit", budget, err)
		}
	}
}

// TestWalkControl checks fs.SkipDir, fs.SkipAll and errors from fn.
func TestWalkControl(t *testing.T) {
	entries := []sqfswrite.Entry{
		{Path: "a/1", Mode: 0o644}, {Path: "a/2", Mode: 0o644},
		{Path: "b/1", Mode: 0o644}, {Path: "b/2", Mode: 0o644}, {Path: "b/3", Mode: 0o644},
		{Path: "c/1", Mode: 0o644},
	}
	im := openBytes(t, writeImage(t, entries, sqfswrite.WriteOptions{}), Options{})
	walk := func(fn func(f *File) error) (string, error) {
		var seen []string
		err := im.Walk(func(f *File) error {
			seen = append(seen, f.Path)
			return fn(f)
		})
		return strings.Join(seen, " "), err
	}
	got, err := walk(func(f *File) error {
		if f.Path == "a" || f.Path == "b/2" {
			return fs.SkipDir
		}
		return nil
	})
	if want := "a b b/1 b/2 c c/1"; got != want || err != nil {
		t.Errorf("SkipDir: saw %q (%v), want %q", got, err, want)
	}
	got, err = walk(func(f *File) error {
		if f.Path == "b/1" {
			return fs.SkipAll
		}
		return nil
	})
	if want := "a a/1 a/2 b b/1"; got != want || err != nil {
		t.Errorf("SkipAll: saw %q (%v), want %q", got, err, want)
	}
	stop := errors.New("stop here")
	got, err = walk(func(f *File) error {
		if f.Path == "a/2" {
			return stop
		}
		return nil
	})
	if want := "a a/1 a/2"; got != want || err != stop {
		t.Errorf("error: saw %q (%v), want %q and the error unchanged", got, err, want)
	}
}

// TestConcurrentReads reads every file of an image from many goroutines
// at once, through the shared caches and decoder.
func TestConcurrentReads(t *testing.T) {
	entries := append(manyFiles(200), sqfstest.Fixture()...)
	im := openBytes(t, writeImage(t, entries, sqfswrite.WriteOptions{BlockSize: 4096}), Options{})
	want := map[string][]byte{}
	for _, e := range entries {
		want[e.Path] = e.Data
	}
	var files []*File
	if err := im.Walk(func(f *File) error {
		if f.Mode.IsRegular() {
			files = append(files, f)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < len(files)+g; i++ {
				f := files[i%len(files)]
				r, err := im.Open(f)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, want[f.Path]) {
					t.Errorf("%s: content differs (%v)", f.Path, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
