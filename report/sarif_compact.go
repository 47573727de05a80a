package report

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// go-sarif marshals every optional array as [] and every optional index as
// its -1 "unset" sentinel (its fields have no omitempty). That is valid
// SARIF but roughly doubles the size of each result, and Microsoft's
// validator flags each "index": -1 (SARIF2004). compactSARIF removes that
// noise from the marshalled log while keeping the library's key order:
//
//   - empty arrays and empty objects are dropped, except "results", which
//     must be present (even empty) in the log of an actual scan and which
//     GitHub requires;
//   - the numeric sentinels that SARIF defines as "unset" are dropped.
//
// Nothing that carries information is removed.

// sentinelKeys are properties whose value -1 means "not set" in SARIF 2.1.0
// (§3.4.5 index, §3.28.2 location id, §3.27.6 ruleIndex, §3.27.24 rank,
// §3.30.10 byteOffset, §3.30.11 charOffset).
var sentinelKeys = map[string]bool{
	"index": true, "id": true, "ruleIndex": true, "rank": true, "byteOffset": true, "charOffset": true,
}

// keepEmpty lists the properties kept even when empty.
var keepEmpty = map[string]bool{"results": true}

// jsonObject is a decoded JSON object that remembers its key order.
type jsonObject struct {
	keys []string
	vals []any
}

// compactSARIF rewrites a marshalled SARIF log without the noise above,
// indented by two spaces with a trailing newline.
func compactSARIF(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	var flat bytes.Buffer
	if err := encodeOrdered(&flat, prune(v)); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, flat.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// decodeOrdered reads one JSON value, keeping object key order. Numbers
// stay json.Number so nothing is rounded.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := &jsonObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, k.(string))
			o.vals = append(o.vals, v)
		}
		_, err := dec.Token()
		return o, err
	case '[':
		a := []any{}
		for dec.More() {
			v, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// prune removes the noise described above, depth first, so an object left
// empty by pruning its members is itself removed.
func prune(v any) any {
	switch t := v.(type) {
	case *jsonObject:
		out := &jsonObject{}
		for i, k := range t.keys {
			pv := prune(t.vals[i])
			if !keepEmpty[k] && isEmpty(pv) {
				continue
			}
			if n, ok := pv.(json.Number); ok && sentinelKeys[k] && n == "-1" {
				continue
			}
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, pv)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = prune(e)
		}
		return out
	}
	return v
}

// isEmpty reports whether v is an empty array or object.
func isEmpty(v any) bool {
	switch t := v.(type) {
	case *jsonObject:
		return len(t.keys) == 0
	case []any:
		return len(t) == 0
	}
	return false
}

// encodeOrdered writes v as compact JSON. Strings are written without HTML
// escaping, like the other writers, so evidence stays readable.
func encodeOrdered(buf *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case *jsonObject:
		buf.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeOrdered(buf, k); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := encodeOrdered(buf, t.vals[i]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeOrdered(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	case json.Number:
		buf.WriteString(t.String())
		return nil
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	// Encode ends every value with a newline; json.Indent would keep it
	// inside the structure, so take it back off.
	buf.Truncate(buf.Len() - 1)
	return nil
}
