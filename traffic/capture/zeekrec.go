package capture

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// zeekReader turns log lines into events.
type zeekReader struct {
	name string
	line int
	sink event.Sink
	st   *Stats
}

// zeekRec holds one conn or dns record's fields as text, whichever form
// (TSV or JSON) it came in; empty means unset.
type zeekRec struct {
	ts, origH, origP, respH, respP, proto    string
	service, duration, connState             string
	origBytes, respBytes, origPkts, respPkts string
	transID, query, qtype, rcode, rtt        string
	answers                                  []string
}

// tsv reads one data line under header h.
func (z *zeekReader) tsv(h *zeekHeader, line string) {
	vals := strings.Split(line, h.sep)
	if len(vals) != h.nfields {
		z.st.Undecoded++
		return
	}
	get := func(k string) string {
		i, ok := h.fields[k]
		if !ok {
			return ""
		}
		v := vals[i]
		if v == h.unset || v == h.empty {
			return ""
		}
		return zeekUnescape(v)
	}
	r := zeekRec{
		ts: get("ts"), origH: get("id.orig_h"), origP: get("id.orig_p"),
		respH: get("id.resp_h"), respP: get("id.resp_p"), proto: get("proto"),
	}
	if h.kind == "conn" {
		r.service, r.duration, r.connState = get("service"), get("duration"), get("conn_state")
		r.origBytes, r.respBytes = get("orig_bytes"), get("resp_bytes")
		r.origPkts, r.respPkts = get("orig_pkts"), get("resp_pkts")
	} else {
		r.transID, r.query, r.qtype, r.rcode, r.rtt = get("trans_id"), get("query"), get("qtype"), get("rcode"), get("rtt")
		if i, ok := h.fields["answers"]; ok && vals[i] != h.unset && vals[i] != h.empty {
			for _, a := range strings.Split(vals[i], h.setSep) {
				r.answers = append(r.answers, zeekUnescape(a))
			}
		}
	}
	z.emit(h.kind, &r)
}

// zeekJSONRec is a JSON log line; numbers are kept as text.
type zeekJSONRec struct {
	Path      string          `json:"_path"`
	TS        json.RawMessage `json:"ts"`
	OrigH     string          `json:"id.orig_h"`
	OrigP     json.Number     `json:"id.orig_p"`
	RespH     string          `json:"id.resp_h"`
	RespP     json.Number     `json:"id.resp_p"`
	Proto     string          `json:"proto"`
	Service   string          `json:"service"`
	Duration  json.Number     `json:"duration"`
	ConnState *string         `json:"conn_state"`
	OrigBytes json.Number     `json:"orig_bytes"`
	RespBytes json.Number     `json:"resp_bytes"`
	OrigPkts  json.Number     `json:"orig_pkts"`
	RespPkts  json.Number     `json:"resp_pkts"`
	TransID   json.Number     `json:"trans_id"`
	RTT       json.Number     `json:"rtt"`
	Query     *string         `json:"query"`
	QType     json.Number     `json:"qtype"`
	RCode     json.Number     `json:"rcode"`
	Answers   []string        `json:"answers"`
}

// json reads one JSON-lines record.
func (z *zeekReader) json(b []byte) {
	var j zeekJSONRec
	if err := json.Unmarshal(b, &j); err != nil {
		z.st.Undecoded++
		return
	}
	kind := j.Path
	if kind == "" {
		switch {
		case j.ConnState != nil:
			kind = "conn"
		case j.Query != nil:
			kind = "dns"
		}
	}
	r := zeekRec{
		origH: j.OrigH, origP: string(j.OrigP), respH: j.RespH, respP: string(j.RespP),
		proto: j.Proto, service: j.Service, duration: string(j.Duration),
		origBytes: string(j.OrigBytes), respBytes: string(j.RespBytes),
		origPkts: string(j.OrigPkts), respPkts: string(j.RespPkts),
		transID: string(j.TransID), rtt: string(j.RTT), qtype: string(j.QType), rcode: string(j.RCode),
		answers: j.Answers,
	}
	if j.ConnState != nil {
		r.connState = *j.ConnState
	}
	if j.Query != nil {
		r.query = *j.Query
	}
	// ts is a number (the default) or an ISO 8601 string (JSON::use_json
	// with the iso8601 time format).
	var s string
	if json.Unmarshal(j.TS, &s) == nil {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			z.st.Undecoded++
			return
		}
		r.ts = strconv.FormatInt(t.Unix(), 10) + "." + strconv.Itoa(t.Nanosecond() + 1e9)[1:]
	} else {
		r.ts = string(j.TS)
	}
	switch kind {
	case "conn", "dns":
		z.emit(kind, &r)
	}
}

// emit checks a record and sends its events; unreadable records count as
// undecoded.
func (z *zeekReader) emit(kind string, r *zeekRec) {
	t, ok := zeekTime(r.ts)
	src, err1 := netip.ParseAddr(r.origH)
	dst, err2 := netip.ParseAddr(r.respH)
	sp, ok1 := num16(r.origP)
	dp, ok2 := num16(r.respP)
	if !ok || err1 != nil || err2 != nil || !ok1 || !ok2 {
		z.st.Undecoded++
		return
	}
	proto, _ := zeekProto(r.proto, src.Is6() && !src.Is4In6())
	z.st.noteTime(t)
	if kind == "conn" {
		dur, _ := zeekDuration(r.duration)
		c := &event.Conn{
			Start: t, Duration: dur, Src: src, Dst: dst, Proto: proto,
			SrcPort: sp, DstPort: dp, Service: r.service,
			OrigBytes: num64(r.origBytes), RespBytes: num64(r.respBytes),
			OrigPkts: num64(r.origPkts), RespPkts: num64(r.respPkts),
			State:  r.connState,
			Source: z.name + ":" + strconv.Itoa(z.line),
		}
		z.st.Conns++
		z.sink.Conn(c)
		return
	}
	id, _ := num16(r.transID)
	qt, _ := num16(r.qtype)
	name := strings.TrimSuffix(strings.ToLower(r.query), ".")
	z.st.DNS++
	z.sink.DNS(&event.DNS{Time: t, Client: src, Server: dst, ID: id, Name: name, QType: qt})
	// A record with an rcode or answers saw the response too: it becomes
	// a second event, as on the wire.
	if r.rcode != "" || len(r.answers) > 0 {
		rc, _ := num16(r.rcode)
		rtt, _ := zeekDuration(r.rtt) // the reply came rtt after the query
		z.st.DNS++
		z.sink.DNS(&event.DNS{
			Time: t.Add(rtt), Client: src, Server: dst, ID: id, Response: true,
			Name: name, QType: qt, RCode: uint8(rc), Answers: r.answers,
		})
	}
}

func num16(s string) (uint16, bool) {
	v, err := strconv.ParseUint(s, 10, 16)
	return uint16(v), err == nil
}

// num64 reads a count; unset or unreadable counts are 0.
func num64(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}
