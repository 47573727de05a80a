package jsbehavior

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLit bounds how much of one literal is decoded: a multi-megabyte
// string is classified from its first part.
const maxLit = 1 << 20

// unquote returns the value of a string literal or template chunk (quotes,
// backticks and ${ } delimiters removed), with escapes decoded so that
// "\x63hild_process" reads as child_process.
func unquote(raw []byte) string {
	if len(raw) > maxLit {
		raw = raw[:maxLit]
	}
	s := string(raw)
	s = strings.TrimPrefix(s, "}")
	s = strings.TrimSuffix(s, "${")
	if len(s) >= 1 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') {
		s = s[1:]
	}
	if len(s) >= 1 && (s[len(s)-1] == '\'' || s[len(s)-1] == '"' || s[len(s)-1] == '`') {
		s = s[:len(s)-1]
	}
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
			b.WriteByte('x')
		case 'u':
			if i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 && j < 10 {
					if v, err := strconv.ParseUint(s[i+2:i+j], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
						b.WriteRune(rune(v))
						i += j
						continue
					}
				}
			} else if i+4 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+5], 16, 16); err == nil {
					b.WriteRune(rune(v))
					i += 4
					continue
				}
			}
			b.WriteByte('u')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	var n [256]int
	for i := 0; i < len(s); i++ {
		n[s[i]]++
	}
	h := 0.0
	for _, c := range n {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// minBlob is the shortest literal taken for an encoded payload.
const minBlob = 200

// isBlob says whether a literal looks like an encoded payload: long, made
// of base64 or hex characters only (no spaces: not code, not prose), and
// dense. Code stored in a string (webpack's eval devtool) has spaces and
// punctuation and does not qualify.
func isBlob(v string) bool {
	if len(v) < minBlob {
		return false
	}
	sample := v
	if len(sample) > 8192 {
		sample = sample[:8192]
	}
	odd := 0
	for i := 0; i < len(sample); i++ {
		c := sample[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '\\' || c == '%' || c == ',') {
			odd++
		}
	}
	if odd*50 > len(sample) {
		return false
	}
	return entropy(sample) >= 3.6
}

// secretPath matches literals naming credential stores: SSH keys, package
// manager and cloud credentials, browser profiles and crypto wallets.
var secretPath = regexp.MustCompile(`(?i)(^|[/\\])\.ssh([/\\]|$)|id_rsa|id_ed25519|id_ecdsa|\.npmrc|\.yarnrc|\.pypirc|\.netrc|\.git-credentials|\.aws([/\\]|$)|aws[/\\]credentials|\.docker[/\\]config\.json|\.kube[/\\]config|\.config[/\\]gcloud|\.azure[/\\]|\.bash_history|\.zsh_history|/etc/shadow|/etc/passwd|Login Data|Local State|Cookies$|[/\\]Local Storage[/\\]leveldb|wallet\.dat|[/\\]Exodus[/\\]|[/\\]Electrum[/\\]|atomic[/\\]Local Storage|nkbihfbeogaeaoehlefnkodbefgpgknn|keychain-db|\.gnupg`)

// geoLiteral matches IP geolocation services and their fields.
var geoLiteral = regexp.MustCompile(`(?i)ipgeolocation|ip-api\.com|ipinfo\.io|ipapi\.co|geoip|freegeoip|geolocation-db|ipwho\.is|country_name|country_code|countryCode`)

// shellDownload matches a shell line that downloads and runs (curl|sh,
// wget then chmod +x, PowerShell DownloadString|iex, certutil -urlcache).
var shellDownload = regexp.MustCompile(`(?i)(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh\b|(curl|wget)\b.*(&&|;)\s*(chmod\s+\+?[0-7x]+|(ba)?sh\s|\./)|downloadstring\s*\(.*iex|\b(iwr|invoke-webrequest)\b.*\|\s*iex|certutil(\.exe)?\s+-urlcache|bitsadmin\s+/transfer|mshta\s+https?:`)

// shellFetch matches a shell command whose output is downloaded content.
var shellFetch = regexp.MustCompile(`(?i)^\s*(curl|wget)\b.*(https?|ftp)://`)

// shellIntegrity matches a shell line that checks what it downloaded.
var shellIntegrity = regexp.MustCompile(`(?i)sha(256|384|512)sum|shasum\s+-a|gpg\s+--verify|cosign\s+verify|minisign`)

// Key words that every match of secretPath, geoLiteral and shellFetch (and
// shellDownload) contains, lower-cased: the regular expressions run only on
// literals that hold one.
var (
	secretPathHints = []string{".ssh", "id_", ".npmrc", ".yarnrc", ".pypirc", ".netrc", ".git-credentials", ".aws", "aws", ".docker", ".kube",
		"gcloud", ".azure", "_history", "/etc/", "login data", "local state", "cookies", "leveldb", "wallet", "exodus", "electrum", "atomic",
		"nkbihfbeogaeaoehlefnkodbefgpgknn", "keychain", ".gnupg"}
	geoHints   = []string{"geo", "ip-api", "ipinfo", "ipapi", "ipwho", "country"}
	fetchHints = []string{"curl", "wget", "downloadstring", "iwr", "invoke-webrequest", "certutil", "bitsadmin", "mshta"}
)

// hinted reports whether the lower-cased s holds one of the hints.
func hinted(s string, hints []string) bool {
	for _, h := range hints {
		if strings.Contains(s, h) {
			return true
		}
	}
	return false
}

// mask keeps the start of a secret or magic value and hides the rest.
func mask(v string) string {
	r := []rune(v)
	switch {
	case len(r) <= 2:
		return strings.Repeat("*", len(r))
	case len(r) <= 8:
		return string(r[:1]) + strings.Repeat("*", len(r)-1)
	}
	return string(r[:3]) + strings.Repeat("*", min(len(r)-3, 12))
}
