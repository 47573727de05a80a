package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
	"github.com/klauspost/compress/gzip"
)

// MaxRecord is the largest captured frame accepted (libpcap's
// MAXIMUM_SNAPLEN). A record that claims more is a corrupt or hostile file:
// reading stops there with an error instead of allocating what it asks for.
const MaxRecord = 262144

// bufSize is the read buffer: a whole record (or pcapng block) of MaxRecord
// bytes plus its header fits, so records are decoded in place without a copy.
const bufSize = 512 << 10

// Options tune a read.
type Options struct {
	// MaxPayload is how many bytes of each transport payload are passed on
	// in event.Packet.Payload; 0 means event.MaxPayload, negative means none.
	MaxPayload int
}

// Stats describes what a read saw.
type Stats struct {
	// Format is "pcap", "pcapng", "zeek-tsv" or "zeek-json", with "+gzip"
	// appended when the input was gzip-compressed.
	Format string
	// Packets counts the capture's records (frames), decoded or not; Bytes
	// sums their length on the wire (as the record says).
	Packets, Bytes int64
	// DNS and Conns count the events of those kinds sent to the sink.
	DNS, Conns int64
	// Undecoded counts frames that gave no event.Packet (not IP, an unknown
	// link type, malformed headers) and Zeek lines that could not be read.
	Undecoded int64
	// First and Last are the earliest and latest timestamps seen.
	First, Last time.Time
	// LinkTypes names the link types of the capture's interfaces, sorted,
	// once each ("ethernet", "linux-sll", "raw", "linktype-147", ...).
	LinkTypes []string
}

// ErrUnknownFormat is returned (wrapped) when the content is none of the
// supported formats.
var ErrUnknownFormat = errors.New("not a pcap, pcapng or Zeek log")

// ReadFile reads the capture or Zeek log at path; see Read.
func ReadFile(ctx context.Context, path string, sink event.Sink, opts Options) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	return Read(ctx, path, f, sink, opts)
}

// Read detects the format of r from its first bytes and sends its events
// to sink in capture order. name is used in errors and in Conn.Source.
//
// On a truncated or corrupt input Read returns the Stats of what was read
// together with an error saying where it stopped; the events already sent
// stand. Cancelling ctx stops the read with ctx's error.
func Read(ctx context.Context, name string, r io.Reader, sink event.Sink, opts Options) (Stats, error) {
	var st Stats
	br := getReader(r)
	defer putReader(br)
	compressed := false
	magic, _ := br.Peek(4)
	if len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return st, fmt.Errorf("%s: gzip: %w", name, err)
		}
		defer zr.Close()
		br = getReader(zr)
		defer putReader(br)
		compressed = true
		magic, _ = br.Peek(4)
	}
	if opts.MaxPayload == 0 {
		opts.MaxPayload = event.MaxPayload
	} else if opts.MaxPayload < 0 {
		opts.MaxPayload = 0
	}
	d := newDecoder(sink, &st, opts)
	var err error
	switch {
	case len(magic) == 4 && isPcapMagic(magic):
		st.Format = "pcap"
		err = readPcap(ctx, br, d)
	case len(magic) == 4 && bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		st.Format = "pcapng"
		err = readPcapng(ctx, br, d)
	default:
		var kind string
		kind, err = sniffZeek(br)
		if err == nil {
			st.Format = kind
			err = readZeek(ctx, name, br, kind, sink, &st)
		}
	}
	if compressed {
		st.Format += "+gzip"
	}
	st.LinkTypes = d.linkNames()
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return st, err
		}
		return st, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

// readers recycles the large read buffers between reads (many small
// captures, fuzzing).
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil) // drop the reference to the source
	readers.Put(br)
}

// noteTime widens [First, Last] to include t.
func (st *Stats) noteTime(t time.Time) {
	if st.First.IsZero() || t.Before(st.First) {
		st.First = t
	}
	if st.Last.IsZero() || t.After(st.Last) {
		st.Last = t
	}
}

// linkNames lists the distinct link types seen, sorted.
func (d *decoder) linkNames() []string {
	if len(d.links) == 0 {
		return nil
	}
	out := make([]string, 0, len(d.links))
	for lt := range d.links {
		out = append(out, linkName(lt))
	}
	sort.Strings(out)
	return out
}

// checkEvery is how many records pass between looks at ctx.
const checkEvery = 4096

// offsetError says where in the (decompressed) stream a read stopped.
type offsetError struct {
	Record int64 // 1-based record or block number
	Offset int64
	Err    error
}

func (e *offsetError) Error() string {
	return fmt.Sprintf("record %d at offset %d: %v", e.Record, e.Offset, e.Err)
}

func (e *offsetError) Unwrap() error { return e.Err }

// errTruncated is wrapped by errors about a file that ends inside a record.
var errTruncated = errors.New("truncated")

// peekFull returns the next n bytes without consuming them, or an error
// saying the stream ended first. n must not exceed bufSize.
func peekFull(br *bufio.Reader, n int) ([]byte, error) {
	b, err := br.Peek(n)
	if err == nil {
		return b, nil
	}
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: need %d bytes, %d left", errTruncated, n, len(b))
	}
	return nil, err
}

// discard skips n bytes, which may be far more than the buffer holds. A
// skipped block can expand from a small gzip stream to gigabytes, so ctx
// is checked between steps.
func discard(ctx context.Context, br *bufio.Reader, n int64) error {
	for n > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		step := min(n, 64<<20)
		got, err := br.Discard(int(step))
		n -= int64(got)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("%w: %d bytes missing", errTruncated, n)
			}
			return err
		}
	}
	return nil
}
