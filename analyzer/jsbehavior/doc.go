// Package jsbehavior finds what attackers put into JavaScript and
// TypeScript packages: install scripts that download and run code, theft
// of tokens and the environment, decode-then-execute payloads, web shells,
// magic-value triggers and date- or locale-gated payloads. It follows data
// within a file, not just text: from sources (a download, an HTTP request
// being served, a socket, process.env, credential files, host identity,
// decoders) through variables, concatenation, template literals, object
// literals, destructuring, `.then(x => ...)` callbacks and `on('data')`
// chunk accumulation, to sinks (eval, new Function, vm, module._compile,
// require of a written file, child_process, http/https/fetch/axios, DNS
// lookups, socket writes).
//
// Rules (severity for run-time code; behavior.Finish raises install-time
// code such as an npm postinstall script one level and lowers tests,
// examples and docs to low):
//
//	DM-JS-001  download-execute          high      downloaded code run with eval, Function, vm, require or import()
//	DM-JS-002  download-execute          high      downloaded content run by child_process, or written to a file that is then executed or required
//	DM-JS-003  download-execute          high      a curl|sh, wget && chmod, iwr|iex ... line passed to child_process
//	DM-JS-010  data-exfiltration         high      the whole environment, a token-like variable or a credential file's content sent over HTTP or a socket
//	DM-JS-011  data-exfiltration         high      a DNS query whose name is built from secrets or host identity
//	DM-JS-012  data-exfiltration         medium    host or user name, network interfaces sent out (dependency-confusion recon)
//	DM-JS-020  remote-command-execution  critical  HTTP request input (query, body, headers, cookies) run as code or a command
//	DM-JS-021  remote-command-execution  critical  socket data run, or a socket piped to a shell (reverse shell)
//	DM-JS-040  obfuscated-payload        high      decoded (base64, hex, char codes, unescape, inflate) or decrypted code executed;
//	                                               critical with a long encoded literal; medium for a bare high-entropy literal evaluated
//	DM-JS-041  obfuscated-payload        critical  code decrypted with a key from the environment and executed (flatmap-stream)
//	DM-JS-050  hidden-trigger            high      request input (password, token, header) compared with a hard-coded literal
//	DM-JS-051  hidden-trigger            high      a privilege assigned inside a condition: if (user.isAdmin = true)
//	DM-JS-060  time-bomb                 high      a destructive or executing action gated on an absolute date (medium: network only)
//	DM-JS-061  time-bomb                 high      the same gated on locale, time zone or country; critical when it deletes or overwrites files (node-ipc)
//	DM-JS-062  time-bomb                 medium    the same gated on the host or user name
//
// Known incidents (event-stream/flatmap-stream, ua-parser-js, eslint-scope,
// node-ipc, coa/rc) are literal rules in rules/builtin/kbd-javascript.yaml
// (DM-KBD-100..104).
//
// Precision. Download-execute findings are dropped when the file compares
// a digest (crypto.createHash(...).digest()) or verifies a signature, as
// esbuild- and sharp-style installers do. Credentials placed under an
// Authorization-like key go to the service they belong to and are not
// exfiltration. process.env.HOME, npm_package_* and npm_config_* are
// configuration, not secrets; reading the environment without sending it
// is silent. A date must be absolute (a date string, an epoch time, a year
// compared with getFullYear()) so that timeouts and cache expiry do not
// count. Magic-value comparisons need a literal of four characters or more
// that is not a method, MIME type or scheme, and a field that looks like a
// credential or a guarded command.
//
// Why the lexer and not js.Parse. github.com/tdewolff/parse/v2/js.Parse
// gives an AST for JavaScript only: it stops at the first TypeScript type
// annotation (`const x: string`), and at the first syntax error, which
// attackers can plant on purpose and which truncated or hostile files have
// anyway. The analyzer therefore uses the same package's lexer for both
// languages (it tells regular expressions from divisions by the previous
// token, resumes one byte past a lexical error) and a bracket-structure
// pass: brackets are matched (a stray closer closes what is open inside),
// functions are found from `function`, `=>` and method heads, and calls,
// their arguments, assignments and conditions are read from the token
// stream. Type annotations are just tokens that carry no labels; a
// declaration with a type (`const res: Response = ...`) is recognised.
//
// Bounds. Files above 8 MB are skipped (bundles of separately published
// modules); the token slice is capped; every expression evaluation draws
// on a budget proportional to the file's size; arrow bodies are measured
// innermost first so that chains stay linear. A 3 MB minified bundle takes
// about a second of CPU.
package jsbehavior
