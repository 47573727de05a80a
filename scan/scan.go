// Package scan is the engine behind `doorman scan`: it walks the targets
// into entries, gives each entry to the analyzers that want it (reading the
// content once and sharing the keyword scan), runs the analyzers' final
// cross-file step, and returns the report, sorted so that it is identical
// whatever the number of cores.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Options configure a scan.
type Options struct {
	Limits    artifact.Limits
	Workers   int // 0: all cores
	Analyzers []*analyzer.Analyzer
	// Progress, when set, is called about every 200 ms with the work done.
	Progress func(p Progress)
	// Tool names the program in the report.
	Tool finding.Tool
}

// Progress is the work done so far.
type Progress struct {
	Files, Bytes, Unpacked int64
	Current                string
}

// ErrTarget wraps a target that cannot be read at all (exit code 2).
var ErrTarget = errors.New("cannot read target")

type engine struct {
	opt  Options
	kw   *keywordIndex
	mu   sync.Mutex
	rep  *finding.Report
	seen map[string]bool
	fmu  sync.Mutex
	fcts []analyzer.Fact
	regs []Region // guarded by fmu

	files, bytes atomic.Int64
	current      atomic.Value
}

// Run scans the targets. The error is non-nil only when a target cannot be
// read at all; everything else that went wrong is in the report's Errors.
func Run(ctx context.Context, targets []string, opt Options) (*finding.Report, error) {
	start := time.Now()
	kw, err := newKeywordIndex(opt.Analyzers)
	if err != nil {
		return nil, fmt.Errorf("building the keyword index: %w", err)
	}
	e := &engine{opt: opt, kw: kw, seen: map[string]bool{}, rep: &finding.Report{
		SchemaVersion: finding.SchemaVersion, Tool: opt.Tool, Command: "scan",
		Findings: []finding.Finding{}, Errors: []finding.Error{},
	}}
	for _, t := range targets {
		if _, err := os.Stat(t); err != nil {
			return nil, fmt.Errorf("%w %s: %v", ErrTarget, t, err)
		}
	}

	tmp, err := os.MkdirTemp("", "doorman-")
	if err != nil {
		return nil, fmt.Errorf("creating the private temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	if opt.Limits.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, opt.Limits.Timeout, fmt.Errorf("scan took longer than %s", opt.Limits.Timeout))
		defer cancel()
	}
	w := artifact.NewWalker(artifact.Config{
		Limits: opt.Limits, TempDir: tmp, Workers: opt.Workers,
		Visit: e.visit, OnError: e.addError,
		Regions: true, OnRegion: e.addRegion,
	})
	stop := e.progress(w)
	for _, t := range targets {
		info := finding.Target{Path: t}
		// The target's hash is computed while it is walked, not before:
		// a firmware image of a gigabyte is then read from disk once, and
		// the second read comes from the page cache on another core.
		var sum chan string
		if fi, err := os.Stat(t); err == nil && fi.Mode().IsRegular() {
			info.Size = fi.Size()
			sum = make(chan string, 1)
			go func() { sum <- FileSHA256(t) }()
		}
		err := w.WalkTarget(ctx, t)
		if sum != nil {
			info.SHA256 = <-sum
		}
		e.rep.Targets = append(e.rep.Targets, info)
		if err != nil {
			stop()
			return nil, fmt.Errorf("%w %s: %v", ErrTarget, t, err)
		}
	}
	stop()
	e.finish()
	e.rep.Stats = finding.Stats{Files: e.files.Load(), Bytes: e.bytes.Load(), DurationMS: time.Since(start).Milliseconds()}
	return e.rep, nil
}

func (e *engine) progress(w *artifact.Walker) (stop func()) {
	if e.opt.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				cur, _ := e.current.Load().(string)
				e.opt.Progress(Progress{Files: e.files.Load(), Bytes: e.bytes.Load(), Unpacked: w.Unpacked(), Current: cur})
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// visit runs the analyzers on one entry: keyword scan once, then each
// analyzer that wants the entry or has hits in it, one after the other on
// the same shared per-entry work.
func (e *engine) visit(ent *artifact.Entry, src artifact.Source) {
	if src != nil {
		e.files.Add(1)
		e.bytes.Add(src.Size())
		e.current.Store(ent.Path)
	}
	sh := analyzer.NewShared(ent, src, nil)
	var hits [][]analyzer.Hit
	if src != nil && leaf(ent.Kind) {
		hits = e.kw.scan(sh.Data(), src, len(e.opt.Analyzers))
	}
	for i, a := range e.opt.Analyzers {
		var h []analyzer.Hit
		if hits != nil {
			h = hits[i]
		}
		want := len(h) > 0
		if a.Wants != nil {
			want = a.Wants(ent)
		}
		if !want || a.Run == nil {
			continue
		}
		e.run(a, analyzer.NewPass(a, sh, h, e.addFinding, e.addFact))
	}
}

// run calls one analyzer, turning a panic into a report error so that the
// other analyzers and the rest of the scan still run.
func (e *engine) run(a *analyzer.Analyzer, p *analyzer.Pass) {
	defer func() {
		if r := recover(); r != nil {
			e.addError(p.Entry.Path, fmt.Errorf("internal error in analyzer %s (please report it): %v", a.Name, r))
		}
	}()
	a.Run(p)
}

// leaf reports whether the keyword scan should read an entry: containers
// are not scanned as bytes, since their members are scanned one by one.
func leaf(k artifact.Kind) bool {
	f := artifact.FormatOf(k)
	return f == nil || f.Open == nil
}

func (e *engine) addFinding(f finding.Finding) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen[f.ID] {
		return
	}
	e.seen[f.ID] = true
	e.rep.Findings = append(e.rep.Findings, f)
}

func (e *engine) addFact(f analyzer.Fact) {
	e.fmu.Lock()
	e.fcts = append(e.fcts, f)
	e.fmu.Unlock()
}

func (e *engine) addError(path string, err error) {
	e.mu.Lock()
	e.rep.Errors = append(e.rep.Errors, finding.Error{Path: path, Error: err.Error()})
	e.mu.Unlock()
}

// finish runs the final pass of every analyzer over the sorted facts, then
// sorts findings and errors.
func (e *engine) finish() {
	sort.SliceStable(e.fcts, func(i, j int) bool {
		a, b := e.fcts[i], e.fcts[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return fmt.Sprint(a.Value) < fmt.Sprint(b.Value)
	})
	inv := map[string]any{}
	for _, a := range e.opt.Analyzers {
		if a.Finish == nil {
			continue
		}
		a.Finish(analyzer.NewFinishPass(a, e.fcts, e.addFinding, func(k string, v any) { inv[k] = v }))
	}
	if len(e.regs) > 0 {
		sort.Slice(e.regs, func(i, j int) bool {
			a, b := e.regs[i], e.regs[j]
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return a.Offset < b.Offset
		})
		inv["regions"] = e.regs
	}
	if len(inv) > 0 {
		e.rep.Inventory = inv
	}
	finding.Sort(e.rep.Findings)
	sort.SliceStable(e.rep.Errors, func(i, j int) bool {
		if e.rep.Errors[i].Path != e.rep.Errors[j].Path {
			return e.rep.Errors[i].Path < e.rep.Errors[j].Path
		}
		return e.rep.Errors[i].Error < e.rep.Errors[j].Error
	})
}

// Region is one entry of the inventory's "regions": bytes the walk could
// not explain (encrypted, or compressed in an unknown format). Each is
// also in the report's errors; the inventory lets diff and people compare
// them between versions.
type Region struct {
	Path    string  `json:"path"`
	Offset  int64   `json:"offset"`
	Length  int64   `json:"length"`
	Entropy float64 `json:"entropy"` // bits per byte, two decimals
	Kind    string  `json:"kind"`    // "high-entropy"
}

// maxRegions bounds the inventory's regions: a target made of thousands
// of encrypted members still has a readable inventory (the errors count
// the rest).
const maxRegions = 10000

func (e *engine) addRegion(ent *artifact.Entry, r artifact.Region) {
	e.fmu.Lock()
	defer e.fmu.Unlock()
	if len(e.regs) >= maxRegions {
		return
	}
	e.regs = append(e.regs, Region{Path: ent.Path, Offset: r.Offset, Length: r.Length,
		Entropy: math.Floor(r.Entropy*100) / 100, Kind: r.Kind})
}

// FileSHA256 returns the hex SHA-256 of the file at p, "" when it cannot
// be read.
func FileSHA256(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
