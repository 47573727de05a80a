package phpbehavior

import (
	"math"
	"strconv"
	"strings"
)

// superglobals are the request's data.
var superglobals = map[string]bool{
	"_GET": true, "_POST": true, "_REQUEST": true, "_COOKIE": true, "_FILES": true,
	"HTTP_GET_VARS": true, "HTTP_POST_VARS": true, "HTTP_COOKIE_VARS": true, "HTTP_RAW_POST_DATA": true,
}

// headerFuncs return the request's headers.
var headerFuncs = map[string]bool{"getallheaders": true, "apache_request_headers": true}

// sanitizers make request data harmless for the sinks this package
// knows: numbers, booleans, digests and shell-quoted arguments.
var sanitizers = map[string]bool{
	"intval": true, "floatval": true, "boolval": true, "abs": true, "count": true, "isset": true,
	"empty": true, "is_numeric": true, "ctype_digit": true, "ctype_alnum": true, "escapeshellarg": true,
	"md5": true, "sha1": true, "hash": true, "crc32": true, "strlen": true, "in_array": true,
	"array_key_exists": true, "password_verify": true, "password_hash": true, "int": true, "float": true, "bool": true,
	"json_encode": true, "var_export": true, "htmlspecialchars": true, "htmlentities": true,
}

// decoders turn a literal into hidden text.
var decoders = map[string]bool{
	"base64_decode": true, "gzinflate": true, "gzuncompress": true, "gzdecode": true, "str_rot13": true,
	"strrev": true, "hex2bin": true, "convert_uudecode": true, "urldecode": true, "rawurldecode": true,
	"pack": true, "bzdecompress": true,
}

// file is the analysis state of one PHP file.
type file struct {
	toks  []token
	match []int // index of the matching bracket, -1 if none
	// tainted maps a variable to where its request data comes from.
	tainted map[string]string
	// consts maps a variable to the constant string it holds.
	consts map[string]string
	// decoded maps a variable to the decoder that produced its value.
	decoded map[string]string
}

// info is what an expression holds.
type info struct {
	taint   string // the request data in it ("" none)
	decoder string // a decoder applied to something not from the request
	blob    bool   // a long high-entropy literal
}

// source says whether the tokens at i start request data, and which.
func (f *file) source(i int) (string, bool) {
	t := f.toks[i]
	switch t.kind {
	case tVar:
		if superglobals[t.text] {
			return "$" + t.text + f.index(i), true
		}
		if t.text == "_SERVER" {
			k := f.index(i)
			key := strings.Trim(k, "[]'\"")
			if strings.HasPrefix(key, "HTTP_") || key == "QUERY_STRING" || key == "REQUEST_URI" || key == "PATH_INFO" || strings.HasPrefix(key, "PHP_AUTH") {
				return "$_SERVER" + k, true
			}
			return "", false
		}
		if why, ok := f.tainted[t.text]; ok {
			return why, true
		}
	case tIdent:
		if headerFuncs[t.text] && f.next(i, "(") {
			return t.text + "()", true
		}
		if t.text == "file_get_contents" && f.next(i, "(") && i+2 < len(f.toks) && f.toks[i+2].kind == tString && f.toks[i+2].text == "php://input" {
			return "the request body (php://input)", true
		}
	case tString, tBacktick:
		for k, v := range t.vars {
			if superglobals[v] || v == "_SERVER" && strings.HasPrefix(t.idx[k], "HTTP_") {
				return "$" + v + "[" + t.idx[k] + "]", true
			}
			if why, ok := f.tainted[v]; ok {
				return why, true
			}
		}
	}
	return "", false
}

// index returns the literal index after a variable: "['cmd']".
func (f *file) index(i int) string {
	if f.next(i, "[") && i+3 < len(f.toks) && f.toks[i+3].text == "]" {
		t := f.toks[i+2]
		if t.kind == tString {
			return "['" + t.text + "']"
		}
		return "[" + t.text + "]"
	}
	return ""
}

// next reports whether the token after i is the operator op.
func (f *file) next(i int, op string) bool {
	return i+1 < len(f.toks) && f.toks[i+1].kind == tOp && f.toks[i+1].text == op
}

// maxExpr bounds the tokens of one expression examined.
const maxExpr = 4000

// expr summarises tokens [from, to).
func (f *file) expr(from, to int) info {
	var in info
	if to-from > maxExpr {
		to = from + maxExpr
	}
	for i := from; i < to && i < len(f.toks); i++ {
		t := f.toks[i]
		if t.kind == tIdent && f.next(i, "(") {
			if sanitizers[t.text] {
				if m := f.match[i+1]; m > i {
					i = m // skip the sanitised argument
					continue
				}
			}
			if decoders[t.text] && in.decoder == "" {
				if m := f.match[i+1]; m > i {
					if !f.taintIn(i+2, min(m, i+2+maxExpr)) {
						in.decoder = t.text
					}
				}
			}
		}
		// (int)$x
		if t.kind == tOp && t.text == "(" && i+2 < to && f.toks[i+1].kind == tIdent && f.toks[i+2].text == ")" && sanitizers[f.toks[i+1].text] {
			i += 3
			continue
		}
		if why, ok := f.source(i); ok && in.taint == "" {
			in.taint = why
		}
		if t.kind == tVar {
			if d, ok := f.decoded[t.text]; ok && in.decoder == "" {
				in.decoder = d
			}
		}
		if t.kind == tString && blob(t.text) {
			in.blob = true
		}
	}
	return in
}

// taintIn reports whether request data occurs in tokens [from, to).
func (f *file) taintIn(from, to int) bool {
	for i := from; i < to && i < len(f.toks); i++ {
		if _, ok := f.source(i); ok {
			return true
		}
	}
	return false
}

// constant evaluates tokens [from, to) as a string built from literals:
// concatenation, chr(N), and decoders applied to literals — how a
// webshell spells "system" without writing it.
func (f *file) constant(from, to int) (string, bool) {
	var b strings.Builder
	want := true // expecting an operand
	for i := from; i < to; i++ {
		t := f.toks[i]
		switch {
		case !want && t.kind == tOp && t.text == ".":
			want = true
		case want && t.kind == tString && len(t.vars) == 0:
			b.WriteString(t.text)
			want = false
		case want && t.kind == tVar:
			v, ok := f.consts[t.text]
			if !ok {
				return "", false
			}
			b.WriteString(v)
			want = false
		case want && t.kind == tIdent && f.next(i, "(") && i+3 < to && f.toks[i+3].text == ")":
			arg := f.toks[i+2]
			v, ok := apply(t.text, arg)
			if !ok {
				return "", false
			}
			b.WriteString(v)
			i += 3
			want = false
		default:
			return "", false
		}
		if b.Len() > 1<<16 {
			return "", false
		}
	}
	return b.String(), !want
}

// apply evaluates fn(arg) for the functions obfuscators use.
func apply(fn string, arg token) (string, bool) {
	switch fn {
	case "chr":
		n, err := strconv.ParseInt(arg.text, 0, 64)
		if err != nil || arg.kind != tNumber {
			return "", false
		}
		return string(rune(byte(n))), true
	case "str_rot13":
		return strings.Map(rot13, arg.text), arg.kind == tString
	case "strrev":
		r := []byte(arg.text)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r), arg.kind == tString
	case "strtolower":
		return strings.ToLower(arg.text), arg.kind == tString
	}
	return "", false
}

func rot13(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return 'a' + (r-'a'+13)%26
	case r >= 'A' && r <= 'Z':
		return 'A' + (r-'A'+13)%26
	}
	return r
}

// blob reports whether a literal looks like an encoded payload: long,
// of one encoding's alphabet, and of high entropy.
func blob(s string) bool {
	if len(s) < 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isIdent(c) && c < 0x80 || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r' || c == '\\') {
			return false
		}
	}
	return entropy(s) >= 4.5 || strings.Count(s, "\\x") > 50
}

func entropy(s string) float64 {
	var n [256]float64
	for i := 0; i < len(s); i++ {
		n[s[i]]++
	}
	h := 0.0
	for _, c := range n {
		if c > 0 {
			p := c / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}
