package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// sniffZeek tells a Zeek TSV log (it starts with its "#separator" header)
// from a JSON-lines log (it starts with an object).
func sniffZeek(br *bufio.Reader) (string, error) {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("#separator")):
		return "zeek-tsv", nil
	case bytes.HasPrefix(head, []byte("{")):
		return "zeek-json", nil
	}
	return "", ErrUnknownFormat
}

// zeekHeader is what a TSV log's header lines set.
type zeekHeader struct {
	sep, setSep   string
	empty, unset  string
	path          string
	fields        map[string]int
	nfields       int
	kind          string // "conn", "dns" or "" (a log this reader does not use)
	headerPresent bool
}

func defaultZeekHeader() zeekHeader {
	return zeekHeader{sep: "\t", setSep: ",", empty: "(empty)", unset: "-"}
}

// readZeek reads conn.log and dns.log records, TSV or JSON, line by line.
// Logs may be concatenated: each "#separator" line starts a new header, and
// JSON and TSV lines may follow each other. Lines of other logs are skipped;
// lines that cannot be read are counted in Undecoded.
func readZeek(ctx context.Context, name string, br *bufio.Reader, kind string, sink event.Sink, st *Stats) error {
	h := defaultZeekHeader()
	z := &zeekReader{name: name, sink: sink, st: st}
	for line := 1; ; line++ {
		if line%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer is no Zeek record: skip it.
			st.Undecoded++
			for errors.Is(err, bufio.ErrBufferFull) {
				if cerr := ctx.Err(); cerr != nil {
					return cerr
				}
				_, err = br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("line %d: %w", line, err)
			}
			if err != nil {
				return nil
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("line %d: %w", line, err)
		}
		b = bytes.TrimRight(b, "\r\n")
		if len(b) > 0 {
			z.line = line
			switch b[0] {
			case '#':
				h.header(string(b))
			case '{':
				z.json(b)
			default:
				if h.kind != "" {
					z.tsv(&h, string(b))
				} else if !h.headerPresent {
					st.Undecoded++
				}
			}
		}
		if err != nil { // io.EOF after the last line
			return nil
		}
	}
}

// header applies one "#key<sep>value" line.
func (h *zeekHeader) header(line string) {
	if v, ok := strings.CutPrefix(line, "#separator "); ok {
		*h = defaultZeekHeader()
		h.sep = zeekUnescape(v)
		h.headerPresent = true
		return
	}
	key, val, ok := strings.Cut(line, h.sep)
	if !ok {
		return
	}
	switch key {
	case "#set_separator":
		h.setSep = val
	case "#empty_field":
		h.empty = val
	case "#unset_field":
		h.unset = val
	case "#path":
		h.path = val
	case "#fields":
		names := strings.Split(val, h.sep)
		h.nfields = len(names)
		h.fields = make(map[string]int, len(names))
		for i, n := range names {
			h.fields[n] = i
		}
		h.kind = ""
		switch {
		case h.path == "conn" || (h.path == "" && has(h.fields, "conn_state")):
			h.kind = "conn"
		case h.path == "dns" || (h.path == "" && has(h.fields, "query")):
			h.kind = "dns"
		}
	}
}

func has(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// zeekUnescape decodes Zeek's \xHH escapes.
func zeekUnescape(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				sb.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// zeekTime parses Zeek's "seconds.fraction" epoch time exactly (a float64
// would lose the microseconds).
func zeekTime(s string) (time.Time, bool) {
	d, ok := zeekDuration(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(0, 0).Add(d), true
}

// zeekDuration parses "seconds.fraction" (the fraction to nanoseconds).
func zeekDuration(s string) (time.Duration, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec < 0 || sec > 1<<33 {
		return 0, false
	}
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			ns += int64(c - '0')
		}
	}
	return time.Duration(sec)*time.Second + time.Duration(ns), true
}

// zeekProto maps Zeek's transport name; ICMP over IPv6 is also "icmp".
func zeekProto(s string, v6 bool) (uint8, bool) {
	switch s {
	case "tcp":
		return event.TCP, true
	case "udp":
		return event.UDP, true
	case "icmp":
		if v6 {
			return event.ICMPv6, true
		}
		return event.ICMP, true
	}
	return 0, false
}
