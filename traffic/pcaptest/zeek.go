package pcaptest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// ZeekConnLog returns a Zeek conn.log holding conns: TSV with its header,
// or JSON lines when asJSON. Source is not written.
func ZeekConnLog(asJSON bool, conns ...event.Conn) []byte {
	fields := []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
		"duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes",
		"history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"}
	types := []string{"time", "string", "addr", "port", "addr", "port", "enum", "string",
		"interval", "count", "count", "string", "bool", "bool", "count",
		"string", "count", "count", "count", "count", "set[string]"}
	var rows [][]any
	for i, c := range conns {
		rows = append(rows, []any{zeekTS(c.Start), fmt.Sprintf("C%017d", i), c.Src.String(), c.SrcPort,
			c.Dst.String(), c.DstPort, protoName(c.Proto), opt(c.Service),
			zeekDur(c.Duration), c.OrigBytes, c.RespBytes, c.State, nil, nil, 0,
			nil, c.OrigPkts, nil, c.RespPkts, nil, nil})
	}
	return zeekLog("conn", asJSON, fields, types, rows)
}

// ZeekDNSLog returns a Zeek dns.log with one line per record: a record
// with Response set has its rcode and answers written (and an rtt of 0),
// a query only has them unset (no reply seen).
func ZeekDNSLog(asJSON bool, recs ...event.DNS) []byte {
	fields := []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id",
		"rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name",
		"AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected"}
	types := []string{"time", "string", "addr", "port", "addr", "port", "enum", "count",
		"interval", "string", "count", "string", "count", "string", "count", "string",
		"bool", "bool", "bool", "bool", "count", "vector[string]", "vector[interval]", "bool"}
	var rows [][]any
	for i, d := range recs {
		var rcode, answers, rtt any
		if d.Response {
			rcode, rtt = int(d.RCode), zeekDur(0)
			if len(d.Answers) > 0 {
				answers = d.Answers
			}
		}
		rows = append(rows, []any{zeekTS(d.Time), fmt.Sprintf("D%017d", i), d.Client.String(), 53345,
			d.Server.String(), 53, "udp", int(d.ID), rtt, d.Name, 1, "C_INTERNET", int(d.QType), nil,
			rcode, nil, false, false, true, d.Response, 0, answers, nil, false})
	}
	return zeekLog("dns", asJSON, fields, types, rows)
}

// zeekTS writes a time as Zeek does: seconds with six decimals.
type zeekTS time.Time

func (t zeekTS) text() string {
	u := time.Time(t).UnixMicro()
	return fmt.Sprintf("%d.%06d", u/1e6, u%1e6)
}

type zeekDur time.Duration

func (d zeekDur) text() string {
	u := time.Duration(d).Microseconds()
	return fmt.Sprintf("%d.%06d", u/1e6, u%1e6)
}

func opt(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func protoName(p uint8) string {
	switch p {
	case event.TCP:
		return "tcp"
	case event.UDP:
		return "udp"
	case event.ICMP, event.ICMPv6:
		return "icmp"
	}
	return "unknown_transport"
}

// zeekLog writes rows (nil is unset) as TSV with header or JSON lines.
func zeekLog(path string, asJSON bool, fields, types []string, rows [][]any) []byte {
	var sb strings.Builder
	if !asJSON {
		fmt.Fprintf(&sb, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t%s\n", path)
		fmt.Fprintf(&sb, "#open\t2024-01-01-00-00-00\n#fields\t%s\n#types\t%s\n", strings.Join(fields, "\t"), strings.Join(types, "\t"))
	}
	for _, row := range rows {
		if asJSON {
			sb.WriteByte('{')
			first := true
			for i, v := range row {
				if v == nil {
					continue
				}
				if !first {
					sb.WriteByte(',')
				}
				first = false
				k, _ := json.Marshal(fields[i])
				sb.Write(k)
				sb.WriteByte(':')
				switch v := v.(type) {
				case zeekTS:
					sb.WriteString(v.text())
				case zeekDur:
					sb.WriteString(v.text())
				default:
					j, _ := json.Marshal(v)
					sb.Write(j)
				}
			}
			sb.WriteString("}\n")
			continue
		}
		for i, v := range row {
			if i > 0 {
				sb.WriteByte('\t')
			}
			switch v := v.(type) {
			case nil:
				sb.WriteString("-")
			case zeekTS:
				sb.WriteString(v.text())
			case zeekDur:
				sb.WriteString(v.text())
			case []string:
				sb.WriteString(strings.Join(v, ","))
			case string:
				if v == "" {
					v = "(empty)"
				}
				sb.WriteString(strings.ReplaceAll(v, "\t", `\x09`))
			case bool:
				sb.WriteString(map[bool]string{true: "T", false: "F"}[v])
			case int:
				sb.WriteString(strconv.Itoa(v))
			default:
				fmt.Fprint(&sb, v)
			}
		}
		sb.WriteByte('\n')
	}
	if !asJSON {
		sb.WriteString("#close\t2024-01-01-00-00-01\n")
	}
	return []byte(sb.String())
}
