package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Visitor receives every entry of the tree. src is nil for entries without
// content (directories, symlinks, device nodes). Visit is called from many
// goroutines at once; src is valid only during the call.
type Visitor func(e *Entry, src Source)

// Config says how to walk.
type Config struct {
	Limits Limits
	// TempDir is the private directory for spooled content. The caller
	// creates it (mode 0700) and removes it; the walker names its files by
	// counter, never after entry names.
	TempDir string
	// Workers is how many entries are processed at once; 0 means GOMAXPROCS.
	Workers int
	Visit   Visitor
	// OnError receives parts that were not (fully) examined.
	OnError func(path string, err error)
	// Regions turns on the search for regions that nothing explains:
	// the carver measures the entropy of what it reads, and each
	// high-entropy region no carved format claims (see Region) is
	// reported to OnError and OnRegion. Off, the walk is as before (test
	// fixtures pad blobs with pseudo-random filler, which is exactly what
	// an encrypted region looks like).
	Regions bool
	// OnRegion, when set, receives every region reported (Regions on).
	// Like Visit it is called from many goroutines at once.
	OnRegion func(e *Entry, r Region)
}

// DefaultWorkers is how many entries are processed at once by default: four
// per core, so that reading files and spooling streams overlap with work on
// others (measured on 2 cores: 8 workers scan the benchmark corpus 27%
// faster than 2), but at least one per core and at most 16 beyond that, so
// memory (up to Limits.MemoryBuffer per worker) stays bounded.
func DefaultWorkers() int {
	n := runtime.GOMAXPROCS(0)
	return max(n, min(4*n, 16))
}

// Walker walks targets into entries. Use one Walker per scan.
type Walker struct {
	cfg      Config
	slots    chan struct{}
	unpacked atomic.Int64
	entries  atomic.Int64
	spoolSeq atomic.Int64
	// once-only notices for limits that end the walk early
	budgetOnce, entriesOnce, timeoutOnce sync.Once
	errs                                 errorLog
}

// NewWalker prepares a walk.
func NewWalker(cfg Config) *Walker {
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers()
	}
	if cfg.Visit == nil {
		cfg.Visit = func(*Entry, Source) {}
	}
	if cfg.OnError == nil {
		cfg.OnError = func(string, error) {}
	}
	return &Walker{cfg: cfg, slots: make(chan struct{}, cfg.Workers)}
}

// Unpacked returns the bytes unpacked so far (streams decompressed).
func (w *Walker) Unpacked() int64 { return w.unpacked.Load() }

// Entries returns the number of entries seen so far.
func (w *Walker) Entries() int64 { return w.entries.Load() }

// WalkTarget walks one target: a folder or a file. It returns an error only
// when the target itself cannot be read at all.
func (w *Walker) WalkTarget(ctx context.Context, target string) error {
	fi, err := os.Stat(target) // the target itself may be a symlink the user chose
	if err != nil {
		return err
	}
	var g group
	if fi.IsDir() {
		err = w.walkDir(ctx, target, &g)
	} else if fi.Mode().IsRegular() {
		err = w.walkFile(ctx, target, fi, &g)
	} else {
		err = fmt.Errorf("%s: not a regular file or folder (%s)", target, fi.Mode().Type())
	}
	g.wait()
	w.flush(target)
	return err
}

func (w *Walker) walkFile(ctx context.Context, target string, fi fs.FileInfo, g *group) error {
	f, err := os.Open(target)
	if err != nil {
		return err
	}
	e := &Entry{Target: target, Path: target, Name: filepath.Base(target), Size: fi.Size(), Mode: fi.Mode()}
	w.process(ctx, e, io.NewSectionReader(f, 0, fi.Size()))
	return f.Close()
}

func (w *Walker) walkDir(ctx context.Context, root string, g *group) error {
	first := true
	// A target given as a symlink to a folder is the user's choice: walk
	// the folder it names (WalkDir does not follow its root), but keep
	// showing paths under the name the user gave.
	real := root
	if r, err := filepath.EvalSymlinks(root); err == nil {
		real = r
	}
	return filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if ctxDone(ctx) {
			w.noteTimeout(root, ctx)
			return filepath.SkipAll
		}
		if err != nil {
			if first {
				return err
			}
			w.report(p, err)
			return nil
		}
		if first {
			first = false
			return nil
		}
		rel, _ := filepath.Rel(real, p)
		rel = filepath.ToSlash(rel)
		e := &Entry{Target: root, Path: strings.TrimSuffix(root, "/") + "/" + rel, Name: rel}
		info, err := d.Info()
		if err != nil {
			w.report(e.Path, err)
			return nil
		}
		e.Mode = info.Mode()
		switch {
		case d.IsDir():
			e.Kind = KindDir
			w.visitMeta(e)
		case e.Mode&fs.ModeSymlink != 0:
			// Listed, never followed: a link may point anywhere on the
			// scanning machine (/etc/passwd) or loop.
			e.Kind = KindSymlink
			e.LinkTarget, _ = os.Readlink(p)
			w.visitMeta(e)
		case !e.Mode.IsRegular():
			// Opening a fifo would block; devices are not the target's bytes.
			e.Kind = KindSpecial
			w.visitMeta(e)
		default:
			e.Size = info.Size()
			g.dispatch(w, func() {
				if e.Size <= SmallFile {
					b, err := os.ReadFile(p)
					if err != nil {
						w.report(e.Path, err)
						return
					}
					w.process(ctx, e, Memory(b))
					return
				}
				f, err := os.Open(p)
				if err != nil {
					w.report(e.Path, err)
					return
				}
				defer f.Close()
				w.process(ctx, e, io.NewSectionReader(f, 0, e.Size))
			})
		}
		return nil
	})
}

func (w *Walker) visitMeta(e *Entry) {
	if w.countEntry(e) {
		w.cfg.Visit(e, nil)
	}
}

func (w *Walker) countEntry(e *Entry) bool {
	if n := w.entries.Add(1); w.cfg.Limits.MaxEntries > 0 && n > w.cfg.Limits.MaxEntries {
		w.entriesOnce.Do(func() {
			w.cfg.OnError(e.Path, fmt.Errorf("%w: more than %d entries (--max-entries); this and later entries not examined", ErrLimit, w.cfg.Limits.MaxEntries))
		})
		return false
	}
	return true
}

// process detects the kind of an entry with content, visits it, then lists
// its children (formats) and carves it (raw blobs). It returns after every
// child is done, because children may read src.
func (w *Walker) process(ctx context.Context, e *Entry, src Source) {
	if ctxDone(ctx) {
		w.noteTimeout(e.Path, ctx)
		return
	}
	if !w.countEntry(e) {
		return
	}
	e.Size = src.Size()
	if e.Kind == "" {
		head := make([]byte, min(int64(HeadSize), e.Size))
		n, _ := src.ReadAt(head, 0)
		e.Kind = Detect(head[:n], e.Size)
	}
	w.safely(e.Path, "analysis", func() { w.cfg.Visit(e, src) })

	f := FormatOf(e.Kind)
	var g group
	covered := e.Size
	if f != nil && f.Open != nil {
		if e.Depth >= w.cfg.Limits.MaxDepth {
			w.report(e.Path, limitErr("depth", "nested deeper than %d containers (--max-depth); contents not examined", w.cfg.Limits.MaxDepth))
			return
		}
		oc := &OpenContext{Path: e.Path, Name: e.Base(), Limits: w.cfg.Limits, warn: func(err error) {
			if errors.Is(err, ErrLimit) { // an overlapping zip in each of a thousand members: one error
				err = &repeatable{key: "format " + string(e.Kind), err: err}
			}
			w.report(e.Path, err)
		}}
		children := 0
		w.safely(e.Path, string(e.Kind)+" reader", func() {
			err := f.Open(oc, src, func(c Child) error {
				err := w.child(ctx, e, c, &g)
				if !errors.Is(err, errEmpty) {
					children++
					return err
				}
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				w.report(e.Path, fmt.Errorf("%s: %w", e.Kind, err))
			}
			if f.Length != nil {
				covered = f.Length(src)
			}
			if children == 0 {
				// A header that looks right but opens nothing must not hide
				// the rest of the entry from carving (a fake gzip header in
				// front of a payload).
				covered = 0
			}
		})
	}
	if e.Kind == KindData {
		covered = 0
	}
	if covered >= 0 && covered < e.Size && e.Depth < w.cfg.Limits.MaxDepth && !ctxDone(ctx) {
		w.carve(ctx, e, src, covered, &g)
	}
	g.wait()
}

// errEmpty tells a container's listing that a member yielded no content
// (its stream failed at once); formats never see it.
var errEmpty = errors.New("member has no content")

// errStop ends a listing early (timeout, limits); not reported again.
var errStop = errors.New("walk stopped")

// child turns a format's Child into an entry and processes it, in another
// goroutine when a worker is free.
func (w *Walker) child(ctx context.Context, parent *Entry, c Child, g *group) error {
	if ctxDone(ctx) {
		w.noteTimeout(parent.Path, ctx)
		return errStop
	}
	name := c.Name
	if !c.Carved {
		name = CleanName(c.Name)
		if name == "_" && c.Mode.IsDir() {
			return nil // the archive's own root ("./"): nothing to list
		}
	}
	e := &Entry{
		Target: parent.Target, Path: parent.Path + "!/" + name, Name: name,
		Mode: c.Mode, Size: c.Size, LinkTarget: c.LinkTarget, Depth: parent.Depth + 1,
		Carved: c.Carved, Kind: c.Kind, Parent: parent,
	}
	switch {
	case c.Mode.IsDir():
		e.Kind = KindDir
		w.visitMeta(e)
		return nil
	case c.Mode&fs.ModeSymlink != 0:
		e.Kind = KindSymlink
		w.visitMeta(e)
		return nil
	case c.Mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0:
		e.Kind = KindSpecial
		w.visitMeta(e)
		return nil
	}
	if c.Section != nil {
		sec := c.Section
		if max := w.cfg.Limits.MaxFileSize; max > 0 && sec.Size() > max {
			w.report(e.Path, limitErr("file-size", "%d bytes, over --max-file-size %d; only the first %d bytes examined", sec.Size(), max, max))
			sec = io.NewSectionReader(sec, 0, max)
		}
		g.spawn(w, func() { w.process(ctx, e, sec) })
		return nil
	}
	if c.Stream == nil {
		w.report(e.Path, errors.New("member has no content reader"))
		return nil
	}
	src, release, err := w.materialize(ctx, e, c)
	switch {
	case err == nil:
	case errors.Is(err, errBudget):
		// Reported once: past the budget every member would say so.
		w.budgetOnce.Do(func() { w.cfg.OnError(e.Path, err) })
		if src == nil {
			return errStop
		}
	case ctxDone(ctx):
		// Cut by the timeout: reported once for the walk, like every other
		// entry the timeout stops, not once per member in flight.
		w.noteTimeout(e.Path, ctx)
	default:
		w.report(e.Path, err)
	}
	if src == nil {
		return errEmpty
	}
	g.spawn(w, func() {
		defer release()
		w.process(ctx, e, src)
	})
	return nil
}

// CleanName makes a member name safe to show and to join: slashes only, no
// leading slash, no "." or ".." escaping the container. The raw name is
// never used to touch the file system.
func CleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = strings.TrimLeft(path.Clean("/"+name), "/")
	if name == "" {
		return "_"
	}
	return name
}

// safely runs fn and turns a panic into a reported error, so that one
// crafted member cannot lose the whole report.
func (w *Walker) safely(p, what string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			w.report(p, fmt.Errorf("internal error in %s (please report it): %v", what, r))
		}
	}()
	fn()
}

func ctxDone(ctx context.Context) bool { return ctx.Err() != nil }

func (w *Walker) noteTimeout(p string, ctx context.Context) {
	w.timeoutOnce.Do(func() {
		w.cfg.OnError(p, fmt.Errorf("%w: %v (--timeout); this and later entries not examined", ErrLimit, context.Cause(ctx)))
	})
}

// group runs tasks in other goroutines while workers are free, otherwise
// inline: no task ever waits for a worker, so nested containers cannot
// deadlock the pool, and parallelism stays bounded by Workers.
type group struct{ wg sync.WaitGroup }

// dispatch runs a top-level task (a file of a folder target) in a worker,
// waiting for one to be free. The folder walk holds no worker itself, so
// waiting cannot deadlock; and it never runs a big file inline, which would
// leave the other workers idle until that file is done.
func (g *group) dispatch(w *Walker, task func()) {
	w.slots <- struct{}{}
	g.wg.Add(1)
	go func() {
		defer func() { <-w.slots; g.wg.Done() }()
		task()
	}()
}

func (g *group) spawn(w *Walker, task func()) {
	select {
	case w.slots <- struct{}{}:
		g.wg.Add(1)
		go func() {
			defer func() { <-w.slots; g.wg.Done() }()
			task()
		}()
	default:
		task()
	}
}

func (g *group) wait() { g.wg.Wait() }
