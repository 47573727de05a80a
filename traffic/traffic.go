// Package traffic runs `doorman traffic`: each capture (pcap, pcapng, Zeek
// conn.log or dns.log, gzip-compressed or not) is streamed through the
// readers of traffic/capture into one set of detectors (traffic/detect),
// whose findings and summary become a report like scan's.
package traffic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/detect"
)

// Options configure a run.
type Options struct {
	Detect detect.Options
	Tool   finding.Tool
}

// Capture is one input's entry in the report's inventory ("captures").
type Capture struct {
	Path      string    `json:"path"`
	Format    string    `json:"format"`
	Packets   int64     `json:"packets"`
	Bytes     int64     `json:"bytes"`
	DNS       int64     `json:"dns"`
	Conns     int64     `json:"conns,omitempty"`
	Undecoded int64     `json:"undecoded,omitempty"`
	First     time.Time `json:"first,omitzero"`
	Last      time.Time `json:"last,omitzero"`
	LinkTypes []string  `json:"link_types,omitempty"`
}

// Run analyses the captures in order. An input that cannot be opened or
// is not a capture at all is an error (the command's exit 2); a capture
// that is truncated or corrupt part way keeps what was read and names the
// rest in the report's errors.
func Run(ctx context.Context, paths []string, o Options) (*finding.Report, error) {
	start := time.Now()
	d := detect.New(o.Detect)
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Tool:          o.Tool,
		Command:       "traffic",
		Findings:      []finding.Finding{},
		Errors:        []finding.Error{},
	}
	captures := []Capture{}
	for _, p := range paths {
		c, target, err := readOne(ctx, p, d)
		if err != nil {
			var partial *partialError
			if !errors.As(err, &partial) {
				return nil, err
			}
			rep.Errors = append(rep.Errors, finding.Error{Path: p, Error: partial.err.Error()})
		}
		rep.Targets = append(rep.Targets, target)
		rep.Stats.Files++
		rep.Stats.Bytes += target.Size
		captures = append(captures, c)
		if ctx.Err() != nil {
			rep.Errors = append(rep.Errors, finding.Error{Path: p, Error: "stopped: " + ctx.Err().Error()})
			break
		}
	}
	rep.Findings = append(rep.Findings, d.Finish()...)
	rep.Inventory = map[string]any{"captures": captures, "traffic": d.Summary()}
	rep.Stats.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// partialError is a read that stopped part way: the events before it stand.
type partialError struct{ err error }

func (e *partialError) Error() string { return e.err.Error() }

func readOne(ctx context.Context, p string, d *detect.Detector) (Capture, finding.Target, error) {
	c := Capture{Path: p}
	t := finding.Target{Path: p}
	f, err := os.Open(p)
	if err != nil {
		return c, t, fmt.Errorf("cannot read %s: %w", p, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return c, t, fmt.Errorf("cannot read %s: %w", p, err)
	} else if fi.IsDir() {
		return c, t, fmt.Errorf("%s is a folder: give capture files (pcap, pcapng, Zeek conn.log/dns.log)", p)
	}
	// Everything read from the file goes through the hash and the count,
	// so the target's digest costs no second read.
	h, n := sha256.New(), &counter{}
	seen := io.MultiWriter(h, n)
	d.SetSource(p)
	st, rerr := capture.Read(ctx, p, io.TeeReader(f, seen), d, capture.Options{})
	c.Format, c.Packets, c.Bytes, c.DNS, c.Conns, c.Undecoded = st.Format, st.Packets, st.Bytes, st.DNS, st.Conns, st.Undecoded
	c.First, c.Last, c.LinkTypes = st.First, st.Last, st.LinkTypes
	if rerr != nil && st.Packets == 0 && st.Conns == 0 && st.DNS == 0 {
		if errors.Is(rerr, capture.ErrUnknownFormat) {
			return c, t, fmt.Errorf("%s: %w", p, rerr)
		}
		if ctx.Err() == nil {
			return c, t, fmt.Errorf("%s: nothing could be read: %w", p, rerr)
		}
	}
	if ctx.Err() == nil {
		// The readers may stop before the end (a truncated record): hash
		// the whole file all the same, so the target's digest is the file's.
		io.Copy(seen, f)
		t.SHA256 = hex.EncodeToString(h.Sum(nil))
	}
	t.Size = n.n
	if rerr != nil {
		return c, t, &partialError{rerr}
	}
	return c, t, nil
}

// counter counts the bytes written to it.
type counter struct{ n int64 }

func (c *counter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }
