package jsbehavior

import (
	"regexp"
	"strings"
)

// label is a set of facts about a value: where it came from (a download, a
// request, a secret) or what it is (decoded, a socket).
type label uint32

const (
	lNet        label = 1 << iota // content fetched from the network
	lReq                          // input of an HTTP request served here (query, body, headers, cookies)
	lSockIn                       // data read from a raw socket
	lEnvAll                       // the whole environment
	lSecret                       // a token-like environment variable or a credential file's content
	lSecretPath                   // a path naming a credential store
	lHost                         // host or user identity: host name, user name, network interfaces
	lDecode                       // decoded: base64, hex, char codes, unescape, inflate
	lBlob                         // a long encoded literal
	lDecipher                     // decrypted (createDecipher)
	lEnv                          // any environment variable (a decryption key for flatmap-stream)
	lTime                         // the date or time
	lLocale                       // locale or time zone
	lGeo                          // geolocation (country)
	lHash                         // a digest (createHash().digest())
	lConn                         // an outgoing connection or request object (write/end/send send data)
	lShell                        // a spawned shell process
	lWritten                      // a path whose file was written with downloaded content
)

// sendable are the labels whose leaving the host is exfiltration.
const sendable = lEnvAll | lSecret | lHost

// secretEnv matches environment variable names that hold credentials.
var secretEnv = regexp.MustCompile(`(?i)TOKEN|SECRET|PASSW|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL|_AUTH|AUTH_|COOKIE|SESSION|^AWS_|^NPM_|^GITHUB_|^GH_|^GITLAB_|^CI_JOB|^SLACK_|^AZURE_|^GOOGLE_APPLICATION|^DOCKER_|^HEROKU_|^STRIPE_|KEY$`)

// hostEnv are environment variables naming the user or host.
var hostEnv = map[string]bool{"USER": true, "USERNAME": true, "LOGNAME": true, "COMPUTERNAME": true, "HOSTNAME": true, "USERDOMAIN": true}

// localeEnv are environment variables holding the locale.
var localeEnv = map[string]bool{"LANG": true, "LANGUAGE": true, "LC_ALL": true, "LC_MESSAGES": true, "LC_CTYPE": true, "TZ": true}

// envLabel classifies process.env.KEY.
func envLabel(key string) label {
	switch {
	case key == "":
		return lEnvAll | lEnv
	case hostEnv[key]:
		return lHost | lEnv
	case localeEnv[key]:
		return lLocale | lEnv
	case strings.HasPrefix(key, "npm_config_") && !strings.Contains(strings.ToLower(key), "auth") && !strings.Contains(strings.ToLower(key), "token"):
		return lEnv
	case strings.HasPrefix(key, "npm_package_") || strings.HasPrefix(key, "npm_lifecycle_"):
		return lEnv
	case secretEnv.MatchString(key):
		return lSecret | lEnv
	}
	return lEnv
}

// reqObjects are the names Express, Koa, Fastify and Node handlers give
// the incoming request.
var reqObjects = map[string]bool{"req": true, "request": true, "ctx": true, "ctx.request": true, "event": false}

// reqFields are the request's attacker-controlled parts.
var reqFields = map[string]bool{"query": true, "body": true, "params": true, "headers": true, "cookies": true, "signedCookies": true, "url": true, "originalUrl": true, "rawHeaders": true}

// reqMethods read attacker-controlled parts through a call.
var reqMethods = map[string]bool{"get": true, "header": true, "param": true, "cookie": true}

// isNetFetch says whether a resolved call returns downloaded content (a
// promise of a response, or the response itself).
func isNetFetch(plain string) bool {
	switch plain {
	case "fetch", "node-fetch", "axios", "got", "request", "needle", "superagent", "undici.fetch", "undici.request", "cross-fetch", "isomorphic-fetch", "make-fetch-happen", "phin", "bent", "simple-get", "minipass-fetch":
		return true
	}
	for _, m := range []string{"axios.", "got.", "request.", "needle.", "superagent.", "undici.", "node-fetch.", "bent."} {
		if strings.HasPrefix(plain, m) {
			switch strings.TrimPrefix(plain, m) {
			case "get", "post", "put", "request", "default", "stream", "fetch", "patch", "head":
				return true
			}
		}
	}
	return false
}

// isHTTPRequest says whether the call opens an HTTP request object whose
// response arrives in a callback (http.get, https.request).
func isHTTPRequest(plain string) bool {
	switch plain {
	case "http.get", "https.get", "http.request", "https.request", "http2.connect", "follow-redirects.http.get", "follow-redirects.https.get", "follow-redirects.https.request", "follow-redirects.http.request":
		return true
	}
	return false
}

// isSocket says whether the call opens a raw connection.
func isSocket(plain string, isNew bool) bool {
	switch plain {
	case "net.connect", "net.createConnection", "tls.connect", "dgram.createSocket", "net.Socket", "WebSocket", "ws", "ws.WebSocket", "XMLHttpRequest", "tls.TLSSocket":
		return plain != "net.Socket" && plain != "WebSocket" && plain != "ws" && plain != "XMLHttpRequest" || isNew
	}
	return false
}

// isDNS says whether the call sends a DNS query for its first argument.
func isDNS(plain string) bool {
	plain = strings.Replace(plain, "dns.promises.", "dns.", 1)
	plain = strings.Replace(plain, ".Resolver.", ".", 1)
	if !strings.HasPrefix(plain, "dns.") {
		return false
	}
	m := strings.TrimPrefix(plain, "dns.")
	return m == "lookup" || strings.HasPrefix(m, "resolve")
}

// isDecode says whether the call decodes its argument.
func isDecode(plain string) bool {
	switch plain {
	case "atob", "unescape", "String.fromCharCode", "String.fromCodePoint", "decodeURIComponent.fromCharCode", "Buffer.from", "Buffer", "base64-js.toByteArray", "js-base64.decode", "js-base64.Base64.decode", "lz-string.decompress", "lz-string.decompressFromBase64", "pako.inflate", "pako.ungzip":
		return true
	}
	if strings.HasPrefix(plain, "zlib.") {
		m := strings.TrimPrefix(plain, "zlib.")
		return strings.HasPrefix(m, "inflate") || strings.HasPrefix(m, "gunzip") || strings.HasPrefix(m, "unzip") || strings.HasPrefix(m, "brotliDecompress")
	}
	return false
}

// isCode says whether the call compiles or runs its argument as code.
func isCode(c callee) bool {
	switch c.plain {
	case "eval", "Function", "vm.runInThisContext", "vm.runInNewContext", "vm.runInContext", "vm.compileFunction", "vm.Script", "vm.SourceTextModule", "execScript":
		return true
	case "setTimeout", "setInterval", "setImmediate":
		return true // only with a string argument; the caller checks
	}
	return c.last == "_compile" || c.last == "constructor" && strings.HasSuffix(c.plain, "constructor.constructor")
}

// isCmd says whether the call runs a command.
func isCmd(plain string) bool {
	switch plain {
	case "child_process.exec", "child_process.execSync", "child_process.spawn", "child_process.spawnSync",
		"child_process.execFile", "child_process.execFileSync", "child_process.fork",
		"execa", "execa.execa", "execa.command", "execa.commandSync", "execa.execaSync", "execa.execaCommand", "execa.$",
		"shelljs.exec", "child_process.spawn.sync", "process.binding":
		return true
	}
	return false
}

// isFileWrite says whether the call writes its second argument to the file
// named by its first.
func isFileWrite(plain string) bool {
	switch plain {
	case "fs.writeFile", "fs.writeFileSync", "fs.promises.writeFile", "fs.appendFile", "fs.appendFileSync", "fs.outputFile", "fs.outputFileSync":
		return true
	}
	return false
}

// isFileRead says whether the call returns a file's content (or listing).
func isFileRead(plain string) bool {
	switch plain {
	case "fs.readFile", "fs.readFileSync", "fs.promises.readFile", "fs.readdir", "fs.readdirSync", "fs.createReadStream", "fs.readJson", "fs.readJsonSync", "fs.promises.readdir", "glob.sync", "glob":
		return true
	}
	return false
}

// isDestructive says whether the call deletes or overwrites files or
// stops the machine.
func isDestructive(plain string) bool {
	switch plain {
	case "fs.rm", "fs.rmSync", "fs.rmdir", "fs.rmdirSync", "fs.unlink", "fs.unlinkSync", "fs.promises.rm", "fs.promises.unlink",
		"fs.truncate", "fs.truncateSync", "fs.remove", "fs.removeSync", "fs.emptyDir", "fs.emptyDirSync",
		"rimraf", "rimraf.sync", "del", "del.sync", "del.deleteSync", "shelljs.rm":
		return true
	}
	return isFileWrite(plain)
}
