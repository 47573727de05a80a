// Package pybehavior finds what attackers put into Python packages by
// following data within each file: a small Python 3.12 tokenizer (string
// prefixes, triple quotes, f-strings with nested quotes, continuations,
// brackets), a statement and call structure pass, and a label flow over
// assignments, with-as, for targets, f-strings, concatenation, containers,
// attribute reads, container mutation (d.update(os.environ)), function
// returns and parameters of functions of the same file.
//
// Files: .py, .pyw, .pth (only the "import" lines, which site.py runs at
// every interpreter start) and setup.cfg (its [options] cmdclass modules
// are install hooks). Severities below are for run-time code; findings are
// deferred to the final pass, which raises install-time code (setup.py,
// .pth, cmdclass modules) one level and lowers tests and docs to low
// (behavior.Adjust).
//
//	DM-PY-001 high     download-execute: content fetched with urllib,
//	                   requests, httpx or a client object reaches exec,
//	                   eval, a loader, pickle/marshal, or is the command
//	                   of os.system/subprocess. Quiet once a hashlib digest
//	                   of the data is compared, or a verify call sees it.
//	DM-PY-002 high     download-execute: fetched content written to a file
//	                   (urlretrieve, open(p, "wb").write, Path.write_bytes)
//	                   that is then run (as the program, by an interpreter,
//	                   or in a shell line). Same hash/signature exemption.
//	DM-PY-003 high     download-execute: a command line that downloads and
//	                   runs (curl|sh, iex DownloadString, certutil
//	                   -urlcache, pip install from a URL without hashes).
//	DM-PY-010 high     data-exfiltration: the whole environment, credential
//	                   files (~/.ssh, ~/.aws, ~/.npmrc, ...), browser,
//	                   Discord or wallet stores sent by HTTP, urlopen,
//	                   SMTP/FTP or a socket (body, URL or query; not
//	                   headers or auth). Medium for one secret environment
//	                   variable in a request body or URL.
//	DM-PY-011 high     data-exfiltration: a DNS query (gethostbyname,
//	                   getaddrinfo, dnspython) for a name built from host
//	                   data or secrets.
//	DM-PY-012 medium   data-exfiltration: host or user name sent out.
//	DM-PY-020 critical remote-command-execution: Flask/Django/Bottle/
//	                   Starlette request data or http.server handler input
//	                   run by eval/exec or as a command; high (medium
//	                   confidence) when it is only part of a shell line.
//	DM-PY-021 critical remote-command-execution: socket data run as code or
//	                   command, or a shell started after os.dup2 bound the
//	                   standard streams to a socket (reverse shell).
//	DM-PY-030 high     obfuscated-payload: base64/base32/hex/zlib/gzip/
//	                   bz2/lzma/marshal/rot13/reversed/chr-joined data, a
//	                   Fernet or AES decryption (noting a key taken from
//	                   the environment), or a long high-entropy literal,
//	                   executed; __import__('builtins').exec and
//	                   getattr(builtins, "exec") chains resolve.
//	DM-PY-032 medium   obfuscated-payload: code after 100+ blanks at column
//	                   200 or beyond (the W4SP trick); high when that code
//	                   calls exec, eval, __import__, system, urlopen, ...
//	DM-PY-033 high     obfuscated-payload: a .pth import line that calls
//	                   exec, eval, compile, base64, codecs, zlib, marshal,
//	                   urllib, requests, socket or subprocess.
//	DM-PY-040 high     time-bomb: deletion, execution (high) or network
//	                   (medium) under a condition comparing the clock with
//	                   a fixed date, epoch or calendar field; medium, low
//	                   confidence, when the function only returns early
//	                   before the date and acts afterwards.
//	DM-PY-041 high     time-bomb: the same gated on locale or time zone,
//	                   geolocation (ipinfo, ip-api, ...) or host name.
//	DM-PY-050 high     hidden-trigger: a login function's password
//	                   parameter compared (==, in) with a literal and the
//	                   match granting access (return truthy, flag set,
//	                   code run); also a user-name literal when the same
//	                   condition does not check the password.
//	DM-PY-051 medium   hidden-trigger: a walrus assigning True/0/'admin'
//	                   to a privilege variable inside a condition.
//
// Near misses kept quiet by design: pinned downloads checked with hashlib,
// Django settings and boto3-style credential chains that read secrets but
// send none, tokens in Authorization headers, telemetry of name and
// version, hashed password checks, base64 data never executed, exec of
// code templates, cache expiry by file age, deprecation dates, argument
// lists built from request data without a shell, virtualenv and setuptools
// .pth lines.
//
// Bounds: files up to 8 MiB, 20000 tokens per logical line, 1 Mi tokens
// and nodes and 100000 statements per file, expression nesting 100 deep,
// a fixed evaluation budget; nothing in hostile input panics or recurses
// without limit.
package pybehavior
