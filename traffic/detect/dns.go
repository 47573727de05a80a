package detect

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// Thresholds of the DNS tunnelling detector, per (client, registered
// domain). A "long" name has at least dnsLongName characters left of the
// registered domain (dots not counted) with a character entropy of at
// least dnsMinEntropy bits: encoded data, not words.
const (
	dnsLongName      = 20
	dnsMinEntropy    = 3.0
	dnsHighNames     = 30   // unique long names for high
	dnsHighChars     = 1200 // and unique characters (≈ 600+ bytes of data)
	dnsMediumNames   = 10
	dnsMediumChars   = 300
	dnsRecordsMedium = 20 // unique TXT/NULL/CNAME-queried names for medium
	maxDomainNames   = 4096
)

type domainKey struct {
	client netip.Addr
	domain string
}

type dnsDomain struct {
	src         string
	seen        map[uint64]struct{} // hashes of unique names, bounded
	unique      int
	long        int
	chars       int // characters left of the domain, summed over unique names
	records     int // unique names asked as TXT, NULL or CNAME
	server      netip.Addr
	first, last time.Time
	example     string // the longest name
	entropySum  float64
	saturated   bool
}

// inspectDNS gathers, per client and registered domain, the unique names
// queried and how much they could carry. Multicast DNS (.local, port 5353)
// and reverse lookups are not tunnels and are skipped.
func (d *Detector) inspectDNS(q *event.DNS) {
	name := strings.TrimSuffix(strings.ToLower(q.Name), ".")
	if name == "" || strings.HasSuffix(name, ".local") || strings.HasSuffix(name, ".arpa") || isGroup(q.Server.Unmap()) {
		return
	}
	dom := registeredDomain(name)
	if dom == name {
		return
	}
	k := domainKey{client: q.Client.Unmap(), domain: dom}
	v, ok := d.st.domains.Get(k)
	if !ok {
		v = d.st.domains.Put(k)
		*v = &dnsDomain{src: d.source, seen: map[uint64]struct{}{}, server: q.Server.Unmap(), first: q.Time}
	}
	s := *v
	s.last = q.Time
	h := fnv.New64a()
	h.Write([]byte(name))
	sum := h.Sum64()
	if _, dup := s.seen[sum]; dup {
		return
	}
	if len(s.seen) >= maxDomainNames {
		s.saturated = true
		return
	}
	s.seen[sum] = struct{}{}
	s.unique++
	sub := strings.ReplaceAll(strings.TrimSuffix(name, "."+dom), ".", "")
	s.chars += len(sub)
	if e := entropy(sub); len(sub) >= dnsLongName && e >= dnsMinEntropy {
		s.long++
		s.entropySum += e
	}
	if q.QType == 16 || q.QType == 10 || q.QType == 5 {
		s.records++
	}
	if len(name) > len(s.example) || len(name) == len(s.example) && name < s.example {
		s.example = name
	}
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var e float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			e -= p * math.Log2(p)
		}
	}
	return e
}

// secondLevel lists the public second-level labels under which names are
// registered one level deeper (example.co.uk). A short list, not the
// Public Suffix List: it only decides how names are grouped.
var secondLevel = map[string]bool{
	"co": true, "com": true, "net": true, "org": true, "gov": true, "edu": true,
	"ac": true, "or": true, "ne": true, "go": true, "gob": true, "mil": true,
}

// registeredDomain returns the domain a name is registered under: its last
// two labels, or three when the second-to-last is a generic second level
// of a country code (example.co.uk, example.com.au).
func registeredDomain(name string) string {
	labels := strings.Split(name, ".")
	n := len(labels)
	if n <= 2 {
		return name
	}
	if len(labels[n-1]) == 2 && secondLevel[labels[n-2]] {
		return strings.Join(labels[n-3:], ".")
	}
	return strings.Join(labels[n-2:], ".")
}

func (d *Detector) analyzeDNS() {
	d.st.domains.Each(func(k domainKey, v **dnsDomain) {
		s := *v
		var sev finding.Severity
		conf := finding.ConfidenceMedium
		switch {
		case s.long >= dnsHighNames && s.chars >= dnsHighChars:
			sev, conf = finding.High, finding.ConfidenceHigh
		case s.long >= dnsMediumNames && s.chars >= dnsMediumChars:
			sev = finding.Medium
		case s.records >= dnsRecordsMedium && s.long >= dnsMediumNames/2:
			sev = finding.Medium
		default:
			return
		}
		note := ""
		if d.opts.Allow.AllowsName(k.domain) {
			// Allowlisted services that look names up by hash (antivirus,
			// DNS blocklists) look like tunnels: keep the record, low.
			sev, conf, note = finding.Low, finding.ConfidenceLow, " (domain is allowlisted)"
		}
		avg := 0.0
		if s.long > 0 {
			avg = s.entropySum / float64(s.long)
		}
		more := ""
		if s.saturated {
			more = "+"
		}
		msg := fmt.Sprintf("%s queried %d%s unique names under %s, %d of them long encoded-looking labels (%.1f bits/char), %d as TXT/NULL/CNAME: data tunnelled in DNS%s",
			k.client, s.unique, more, k.domain, s.long, avg, s.records, note)
		ev := fmt.Sprintf("%s..%s %s -> %s dns domain %s unique %d long %d chars %d txt/null/cname %d e.g. %s",
			ts(s.first), ts(s.last), k.client, s.server, k.domain, s.unique, s.long, s.chars, s.records, s.example)
		d.report(newFinding(RuleDNSTunnel, sev, conf, s.src, msg, ev))
	})
}
