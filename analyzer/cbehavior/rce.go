package cbehavior

import (
	"regexp"
	"strings"
)

// socketReads fill their second argument (index buf) from a connection.
var socketReads = map[string]int{
	"recv": 1, "recvfrom": 1, "SSL_read": 1, "BIO_read": 1, "gnutls_record_recv": 1,
	"mbedtls_ssl_read": 1, "wolfSSL_read": 1,
}

// sockName matches a descriptor variable that names a connection, for
// read(): read(0, ...) and read(fd, ...) on a file are not network input.
var sockName = regexp.MustCompile(`(?i)sock|conn|client|peer|remote|cfd|newfd|new_fd|csock|^s$|^cs$|^sd$|^rfd$|^afd$`)

// copiers write their first argument from the others.
var copiers = map[string]bool{
	"strcpy": true, "strncpy": true, "strcat": true, "strncat": true, "memcpy": true, "memmove": true,
	"sprintf": true, "snprintf": true, "strlcpy": true, "strlcat": true, "vsprintf": true, "vsnprintf": true,
}

// rceFlow is data received from a socket reaching a command runner.
type rceFlow struct {
	off    int32
	source string // the read call
	sink   string // the command call
}

// remoteCommands follows, in token order through one function, buffers
// filled from a socket (recv, SSL_read, read on a descriptor from
// accept/socket or named like a connection) through assignments and
// copies into system/popen/exec* where they are the command or the
// program (execl("/bin/sh","sh","-c",buf) counts; execl("/bin/ping",
// "ping", buf) runs a fixed program and does not).
func (f *file) remoteCommands(fn function) []rceFlow {
	tainted := map[string]bool{}
	socks := map[string]bool{}
	var source string
	var out []rceFlow
	for i := fn.body.from; i < fn.body.to; i++ {
		// fd = accept(...) / socket(...): a connection descriptor.
		if f.kindAt(i) == tIdent && f.is(i+1, "=") {
			if c, ok := f.callAt(i + 2); ok && (c.name == "accept" || c.name == "accept4" || c.name == "socket") {
				socks[f.text(i)] = true
			}
		}
		// x = <expression reading tainted data>: p = buf + 3, cmd = strdup(buf).
		if len(tainted) > 0 && f.kindAt(i) == tIdent && f.is(i+1, "=") {
			if rhs := f.exprUntilSemicolon(i+2, fn.body.to); f.mentions(rhs, tainted) && !f.measures(rhs) {
				tainted[f.text(i)] = true
			}
		}
		c, ok := f.callAt(i)
		if !ok {
			continue
		}
		switch {
		case socketReads[c.name] > 0 && len(c.args) > socketReads[c.name]:
			if r := f.roots(c.args[socketReads[c.name]]); len(r) > 0 {
				for k := range r {
					tainted[k] = true
				}
				source = f.spanText(span{i, int(f.match[i+1]) + 1})
			}
		case c.name == "read" && len(c.args) == 3:
			fd := f.spanText(c.args[0])
			if socks[fd] || sockName.MatchString(fd) {
				for k := range f.roots(c.args[1]) {
					tainted[k] = true
				}
				source = f.spanText(span{i, int(f.match[i+1]) + 1})
			}
		case c.name == "fgets" && len(c.args) == 3:
			if fp := f.spanText(c.args[2]); sockName.MatchString(fp) {
				for k := range f.roots(c.args[0]) {
					tainted[k] = true
				}
				source = f.spanText(span{i, int(f.match[i+1]) + 1})
			}
		case copiers[c.name] && len(c.args) >= 2 && len(tainted) > 0:
			from := c.args[1:]
			if strings.HasPrefix(c.name, "s") && strings.Contains(c.name, "printf") {
				// the format decides: "%s" first makes the input the program
				fi := 1
				if c.name == "snprintf" || c.name == "vsnprintf" {
					fi = 2
				}
				if len(c.args) <= fi {
					continue
				}
				if v, ok := f.stringValue(single(c.args[fi])); ok && !strings.HasPrefix(strings.TrimSpace(v), "%s") && !shellProgram.MatchString(v) {
					continue
				}
				from = c.args[fi:]
			}
			for _, a := range from {
				if f.mentions(a, tainted) {
					for k := range f.roots(c.args[0]) {
						tainted[k] = true
					}
				}
			}
		case len(tainted) > 0:
			if pi, ok := commandRunners[c.name]; ok && len(c.args) > pi {
				if a, _ := f.callActs(c, tainted); a == actInputCmd {
					out = append(out, rceFlow{f.toks[i].start, source, f.spanText(span{i, int(f.match[i+1]) + 1})})
				}
			}
		}
	}
	return out
}

// exprUntilSemicolon is the expression from i to the ';' or ',' ending it
// at the same nesting.
func (f *file) exprUntilSemicolon(i, limit int) span {
	for j := i; j < limit; j++ {
		if f.is(j, ";") || f.is(j, ",") || f.is(j, ")") {
			return span{i, j}
		}
		if m := f.match[j]; m > int32(j) {
			j = int(m)
		}
	}
	return span{i, limit}
}

// measures: an expression that only measures or converts input (strlen,
// atoi, a comparison) does not carry it.
func (f *file) measures(s span) bool {
	c, ok := f.callAt(s.from)
	if !ok || int(f.match[s.from+1])+1 != s.to {
		return false
	}
	switch c.name {
	case "strlen", "atoi", "atol", "strtol", "strtoul", "strcmp", "strncmp", "memcmp", "strcasecmp", "sizeof", "htons", "ntohs", "ntohl", "htonl":
		return true
	}
	return false
}
