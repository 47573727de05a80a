package artifact_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every format, as in the real binary
)

// headBytes is how much of each visited entry a walk keeps for checks.
const headBytes = 64 << 10

// visit is what a test keeps of one visited entry.
type visit struct {
	Path, Name, LinkTarget string
	Kind                   artifact.Kind
	Size                   int64
	Depth                  int
	Carved, HasSource      bool
	Head                   []byte // the first headBytes of the content
}

type walkErr struct {
	Path string
	Err  error
}

// result is everything a walk did, with its cost.
type result struct {
	Visits   []visit
	Errors   []walkErr
	Elapsed  time.Duration
	PeakHeap uint64 // highest HeapInuse seen during the walk, above the start
	Alloc    uint64 // bytes allocated during the walk (TotalAlloc)
	Unpacked int64
	Entries  int64
	Target   error // WalkTarget's own error
}

// walkOpts adjusts a walk's configuration beyond the limits.
type walkOpts struct {
	ctx     context.Context
	workers int
	visit   func(e *artifact.Entry, src artifact.Source) // called as well
}

// walk walks one target with the given limits and records every visit and
// error, the time taken and the memory used. The walker spools into a
// fresh temporary directory that must be empty afterwards.
func walk(tb testing.TB, target string, lim artifact.Limits, o ...walkOpts) *result {
	tb.Helper()
	var opt walkOpts
	if len(o) > 0 {
		opt = o[0]
	}
	if opt.ctx == nil {
		opt.ctx = context.Background()
	}
	r := &result{}
	var mu sync.Mutex
	tmp := tb.TempDir()
	w := artifact.NewWalker(artifact.Config{
		Limits: lim, TempDir: tmp, Workers: opt.workers,
		Visit: func(e *artifact.Entry, src artifact.Source) {
			v := visit{Path: e.Path, Name: e.Name, LinkTarget: e.LinkTarget, Kind: e.Kind, Size: e.Size, Depth: e.Depth, Carved: e.Carved, HasSource: src != nil}
			if src != nil {
				v.Head = make([]byte, min(src.Size(), headBytes))
				n, err := src.ReadAt(v.Head, 0)
				if err != nil && err != io.EOF {
					tb.Errorf("%s: reading the visited source: %v", e.Path, err)
				}
				v.Head = v.Head[:n]
			}
			if opt.visit != nil {
				opt.visit(e, src)
			}
			mu.Lock()
			r.Visits = append(r.Visits, v)
			mu.Unlock()
		},
		OnError: func(p string, err error) {
			mu.Lock()
			r.Errors = append(r.Errors, walkErr{p, err})
			mu.Unlock()
		},
	})
	stop := sampleHeap(&r.PeakHeap)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	r.Target = w.WalkTarget(opt.ctx, target)
	r.Elapsed = time.Since(start)
	stop()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	r.Alloc = after.TotalAlloc - before.TotalAlloc
	r.Unpacked, r.Entries = w.Unpacked(), w.Entries()
	if left := artifacttest.Files(tb, tmp); len(left) > 0 {
		tb.Errorf("spool files left in the temporary directory: %v", left)
	}
	tb.Logf("walk %s: %v, %d entries, %d MiB unpacked, peak heap +%d MiB, %d MiB allocated, %d errors",
		target, r.Elapsed.Round(time.Millisecond), r.Entries, r.Unpacked>>20, r.PeakHeap>>20, r.Alloc>>20, len(r.Errors))
	for i, e := range r.Errors {
		if i == 8 {
			tb.Logf("  … %d more", len(r.Errors)-i)
			break
		}
		tb.Logf("  error %s: %v", e.Path, e.Err)
	}
	return r
}

// sampleHeap records the highest HeapInuse above the level at the start
// until stop is called: the peak is what a bomb would push up, while the
// level at the end says nothing once the garbage collector has run.
func sampleHeap(peak *uint64) (stop func()) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base && ms.HeapInuse-base > *peak {
				*peak = ms.HeapInuse - base
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// byPath returns the visit of an entry, failing the test when it is missing.
func (r *result) byPath(tb testing.TB, p string) visit {
	tb.Helper()
	for _, v := range r.Visits {
		if v.Path == p {
			return v
		}
	}
	tb.Fatalf("%s was not visited; visited: %s", p, r.paths(20))
	return visit{}
}

func (r *result) paths(max int) string {
	var ps []string
	for i, v := range r.Visits {
		if i == max {
			ps = append(ps, fmt.Sprintf("… %d more", len(r.Visits)-i))
			break
		}
		ps = append(ps, v.Path)
	}
	return strings.Join(ps, ", ")
}

// limitErrors returns the errors that wrap artifact.ErrLimit.
func (r *result) limitErrors() []walkErr {
	var out []walkErr
	for _, e := range r.Errors {
		if errors.Is(e.Err, artifact.ErrLimit) {
			out = append(out, e)
		}
	}
	return out
}

// wantError fails unless an error whose path starts with pathPrefix has a
// message matching re; it returns that error.
func (r *result) wantError(tb testing.TB, pathPrefix, re string) walkErr {
	tb.Helper()
	rx := regexp.MustCompile(re)
	for _, e := range r.Errors {
		if strings.HasPrefix(e.Path, pathPrefix) && rx.MatchString(e.Err.Error()) {
			return e
		}
	}
	tb.Fatalf("no error under %s matching %q; errors: %v", pathPrefix, re, r.Errors[:min(len(r.Errors), 4)])
	return walkErr{}
}

// wantLimitOnce fails unless exactly one error wraps ErrLimit and its
// message matches re: a bomb is reported once, not once per member.
func (r *result) wantLimitOnce(tb testing.TB, re string) walkErr {
	tb.Helper()
	le := r.limitErrors()
	if len(le) != 1 {
		tb.Fatalf("want exactly one limit error, got %d: %v", len(le), le[:min(len(le), 4)])
	}
	if !regexp.MustCompile(re).MatchString(le[0].Err.Error()) {
		tb.Fatalf("limit error %q does not match %q", le[0].Err, re)
	}
	return le[0]
}

// wantBounded fails when the walk took longer or held more memory than
// the case allows. The bounds are generous (a loaded 2-core CI machine);
// what a bomb would need is orders of magnitude more.
func (r *result) wantBounded(tb testing.TB, maxTime time.Duration, maxHeap, maxAlloc uint64) {
	tb.Helper()
	if r.Elapsed > maxTime {
		tb.Errorf("walk took %v, want under %v", r.Elapsed, maxTime)
	}
	if r.PeakHeap > maxHeap {
		tb.Errorf("heap in use rose by %d MiB, want under %d MiB", r.PeakHeap>>20, maxHeap>>20)
	}
	if r.Alloc > maxAlloc {
		tb.Errorf("walk allocated %d MiB, want under %d MiB", r.Alloc>>20, maxAlloc>>20)
	}
}

// wantNoInternalError fails on a recovered panic: the walker turns panics
// into "internal error" reports so a scan survives them, but a test must
// not.
func (r *result) wantNoInternalError(tb testing.TB) {
	tb.Helper()
	for _, e := range r.Errors {
		if strings.Contains(e.Err.Error(), "internal error") {
			tb.Errorf("panic in the walk at %s: %v", e.Path, e.Err)
		}
	}
}

const (
	KiB = 1 << 10
	MiB = 1 << 20
	GiB = 1 << 30
)
