package artifact

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Format knows one container or stream format: how to recognise it from its
// first bytes, how to list its children and, for carving, how to find and
// bound it inside a raw blob.
type Format struct {
	Kind Kind
	// Priority orders detection: higher first (a zip inside a PE stub is a
	// zip; tar's magic at 257 must lose to formats with magic at 0).
	Priority int
	// Detect reports whether head (up to HeadSize bytes of the entry) is
	// this format. size is the whole entry's size.
	Detect func(head []byte, size int64) bool
	// Open lists the children of src in order by calling emit. It returns
	// emit's error unchanged when emit fails. nil for leaf kinds (ELF).
	Open func(oc *OpenContext, src Source, emit func(Child) error) error
	// Length returns how many bytes of src the format occupies when that is
	// known from its header, or -1. The walker carves what lies beyond.
	Length func(src Source) int64
	// Magic lists byte strings that start this format, at MagicOffset from
	// its beginning, for carving. Empty: never carved.
	Magic       [][]byte
	MagicOffset int
	// CarveCheck validates a candidate found by carving more strictly than
	// Detect (random bytes in a blob often look like a 3-byte magic) and
	// returns its length or -1 when unknown. nil means Detect is enough.
	CarveCheck func(src Source) (length int64, ok bool)
}

// HeadSize is how many leading bytes Detect receives.
const HeadSize = 4096

// OpenContext is what a format may use while listing children.
type OpenContext struct {
	// Path of the container entry, for messages.
	Path string
	// Name is the container entry's base name, so stream formats can name
	// their single child ("fw.tar.gz" gives "fw.tar").
	Name string
	// Limits in force.
	Limits Limits
	warn   func(err error)
}

// Warn records a problem in the container that does not stop the listing
// (one corrupt member, an overlapping entry).
func (oc *OpenContext) Warn(err error) {
	if oc.warn != nil {
		oc.warn(err)
	}
}

// ErrLimit marks errors caused by a resource limit.
var ErrLimit = errors.New("limit reached")

var (
	registryMu sync.RWMutex
	formats    []*Format
)

// Register adds a format. Formats register themselves from init functions
// in the formats package, so adding a format is adding a file.
func Register(f *Format) {
	if f.Kind == "" || f.Detect == nil {
		panic(fmt.Sprintf("artifact.Register: format %q needs Kind and Detect", f.Kind))
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, g := range formats {
		if g.Kind == f.Kind {
			panic(fmt.Sprintf("artifact.Register: format %q registered twice", f.Kind))
		}
	}
	formats = append(formats, f)
	sort.SliceStable(formats, func(i, j int) bool { return formats[i].Priority > formats[j].Priority })
}

// Formats returns the registered formats in detection order.
func Formats() []*Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return append([]*Format(nil), formats...)
}

// FormatOf returns the registered format of a kind, or nil.
func FormatOf(k Kind) *Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, f := range formats {
		if f.Kind == k {
			return f
		}
	}
	return nil
}

// Detect returns the kind of content whose first bytes are head.
func Detect(head []byte, size int64) Kind {
	if size == 0 {
		return KindEmpty
	}
	for _, f := range Formats() {
		if f.Detect(head, size) {
			return f.Kind
		}
	}
	if LooksText(head) {
		return KindText
	}
	return KindData
}

// LooksText reports whether b looks like text: no NUL byte and few control
// characters. Valid UTF-8 is not required (Latin-1 configs exist).
func LooksText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	ctrl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b:
			ctrl++
		}
	}
	return ctrl*100 < len(b)
}
