package artifact

import (
	"errors"
	"fmt"
	"sync"
)

// MaxErrorsPerTarget bounds the errors reported one by one for a target; the
// rest are counted in one closing error. A crafted archive of a million
// corrupt members must not turn the report into a million lines.
const MaxErrorsPerTarget = 1000

// repeatable marks a limit that many entries of one target can reach
// (nesting depth, file size, compression ratio, carving). Each is reported
// once per target, on the first entry that reached it, with the number of
// others: a bomb of a million members makes one error, not a million.
type repeatable struct {
	key string
	err error
}

func (r *repeatable) Error() string { return r.err.Error() }
func (r *repeatable) Unwrap() error { return r.err }

// limitErr builds a repeatable limit error; key groups the errors of one
// limit.
func limitErr(key, format string, args ...any) error {
	return &repeatable{key, fmt.Errorf("%w: "+format, append([]any{ErrLimit}, args...)...)}
}

// errorLog gathers the errors of one target before they reach OnError.
type errorLog struct {
	mu       sync.Mutex
	reported int
	dropped  int
	first    map[string]*note // repeatable limits, by key
	order    []string
	regions  int // high-entropy regions reported (reportRegion)
}

type note struct {
	path string
	err  error
	more int
}

// report passes an error on, holding back repeated limits and anything past
// MaxErrorsPerTarget until the target is done (flush).
func (w *Walker) report(p string, err error) {
	l := &w.errs
	l.mu.Lock()
	var r *repeatable
	if errors.As(err, &r) {
		if n := l.first[r.key]; n != nil {
			n.more++
		} else {
			if l.first == nil {
				l.first = map[string]*note{}
			}
			l.first[r.key] = &note{path: p, err: err}
			l.order = append(l.order, r.key)
		}
		l.mu.Unlock()
		return
	}
	if l.reported >= MaxErrorsPerTarget {
		l.dropped++
		l.mu.Unlock()
		return
	}
	l.reported++
	l.mu.Unlock()
	w.cfg.OnError(p, err)
}

// flush reports what report held back, once the target's walk is over.
// WalkTarget calls it, so targets walked one after the other (as a scan
// does) each get their own summary.
func (w *Walker) flush(target string) {
	l := &w.errs
	l.mu.Lock()
	first, order, dropped := l.first, l.order, l.dropped
	l.first, l.order, l.reported, l.dropped, l.regions = nil, nil, 0, 0, 0
	l.mu.Unlock()
	for _, k := range order {
		n := first[k]
		err := n.err
		if n.more > 0 {
			err = fmt.Errorf("%w (and %d more in this target, not listed one by one)", err, n.more)
		}
		w.cfg.OnError(n.path, err)
	}
	if dropped > 0 {
		w.cfg.OnError(target, fmt.Errorf("%d more errors in this target, not listed one by one (over %d)", dropped, MaxErrorsPerTarget))
	}
}
