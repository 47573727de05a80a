// Package gobehavior finds backdoor behaviour in Go source, read with
// go/parser: calls, their arguments, and how values flow between local
// variables within a function (function literals included).
//
//	DM-GO-001  download-execute: data fetched over the network (http.Get,
//	           a client's Do, a net.Dial connection) is run - passed to
//	           exec.Command, or written to a file that is then executed or
//	           opened with plugin.Open - with no hash or signature check in
//	           the function. High; critical in init().
//	DM-GO-002  remote-command-execution: a value from an http.Request (query,
//	           form, header, body, path; gin/echo context getters) reaches
//	           exec.Command. Critical for a shell with -c, high otherwise.
//	DM-GO-003  data-exfiltration: the whole environment (os.Environ),
//	           credential files (~/.ssh, ~/.aws, .netrc, kube and docker
//	           configs) or, in init(), secret-named environment variables are
//	           sent: HTTP request URL or body, a connection's Write, or a DNS
//	           lookup of a name built from them. High; critical in init().
//	           Host and user names sent the same way: medium.
//	DM-GO-004  obfuscated-payload: base64/hex/base32-decoded data is run
//	           (exec.Command, plugin.Open, syscall.Exec). High.
//	DM-GO-005  time-bomb: a condition on the current time against a constant
//	           date or timestamp guards os.RemoveAll, os.Remove or a
//	           destructive command. High.
//	DM-GO-006  hidden-trigger: an HTTP handler compares a request value
//	           (header, user agent, query, basic-auth user or password) with
//	           a literal and then grants access (calls next.ServeHTTP or
//	           Next(), sets an admin/authenticated flag) or runs a command.
//	           High; critical when it runs a command.
//	DM-GO-007  an init() function that reaches the network or runs a command
//	           without any of the above: it runs when the package is merely
//	           imported. Medium.
//
// Severities are written for run-time code and adjusted by when the file
// runs (analyzer/behavior): tests (_test.go, testdata) are low.
package gobehavior
