package inventory

import (
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// secretParams are query parameters whose values are credentials.
var secretParams = []string{"password", "passwd", "pass", "pwd", "token", "key", "secret", "auth", "sig", "signature", "apikey", "api_key", "access_token"}

// MaskURL hides the credentials a URL carries: the password of its user
// information ("ftp://admin:hunter2@host" → "ftp://admin:hu*****@host")
// and the values of query parameters named like secrets.
func MaskURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	auth := rest
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		user, pass, hasPass := strings.Cut(auth[:at], ":")
		masked := user
		if hasPass {
			masked += ":" + finding.Mask(pass)
		}
		rest = masked + rest[at:]
	}
	base, query, hasQuery := strings.Cut(rest, "?")
	if !hasQuery {
		return scheme + "://" + rest
	}
	params := strings.Split(query, "&")
	for i, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		lk := strings.ToLower(k)
		for _, s := range secretParams {
			if lk == s {
				params[i] = k + "=" + finding.Mask(v)
				break
			}
		}
	}
	return scheme + "://" + base + "?" + strings.Join(params, "&")
}

// MaskText masks every URL in a line of text, and the values of password
// options ("-p PASS", "--password=PASS", "-u USER:PASS").
func MaskText(s string) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		if j := strings.Index(f, "://"); j > 0 {
			start := j
			for start > 0 && isSchemeByte(f[start-1]) {
				start--
			}
			fields[i] = f[:start] + MaskURL(f[start:])
			continue
		}
		for _, opt := range []string{"--password=", "--http-password=", "--ftp-password=", "--user=", "--http-user="} {
			if v, ok := strings.CutPrefix(f, opt); ok {
				fields[i] = opt + maskUserPass(strings.Trim(v, `"'`))
			}
		}
		if i > 0 && (fields[i-1] == "-p" || fields[i-1] == "--password" || fields[i-1] == "-u" || fields[i-1] == "--user") && f != "" {
			fields[i] = maskUserPass(strings.Trim(f, `"'`))
		}
	}
	return strings.Join(fields, " ")
}

// maskUserPass masks "user:pass" to "user:pa**", and a lone value whole.
func maskUserPass(v string) string {
	if u, p, ok := strings.Cut(v, ":"); ok {
		return u + ":" + finding.Mask(p)
	}
	return finding.Mask(v)
}

func isSchemeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
}
