package pybehavior

import (
	"regexp"
	"strings"
)

// The API names the detectors know, as fully qualified dotted paths after
// import aliases are resolved ("from urllib.request import urlopen as u";
// u(...) is urllib.request.urlopen). Builtins have no module.

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// fetchFuncs return content fetched over HTTP.
var fetchFuncs = set(
	"urllib.request.urlopen", "urllib2.urlopen", "urllib.urlopen", "six.moves.urllib.request.urlopen",
	"requests.get", "requests.post", "requests.put", "requests.patch", "requests.head", "requests.request", "requests.delete",
	"requests.api.get", "requests.api.post", "requests.api.request",
	"httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.request", "httpx.stream",
	"urllib3.request", "pycurl.Curl",
)

// retrieveFuncs download a URL to a file: (url, filename).
var retrieveFuncs = set("urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download", "six.moves.urllib.request.urlretrieve")

// httpCtors make client objects whose request methods fetch and send.
var httpCtors = set(
	"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient",
	"urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
	"http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection", "httplib.HTTPSConnection",
	"aiohttp.ClientSession", "smtplib.SMTP", "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS",
	"urllib.request.build_opener", "urllib2.build_opener",
)

// httpMethods are the request methods of those objects.
var httpMethods = set("get", "post", "put", "patch", "request", "urlopen", "open", "stream", "send", "sendmail",
	"send_message", "storbinary", "storlines", "head", "delete", "getresponse", "fetch", "putrequest")

// requestCtors build a request (url, data) that urlopen later sends.
var requestCtors = set("urllib.request.Request", "urllib2.Request", "requests.Request", "httpx.Request")

// sockCtors make raw sockets.
var sockCtors = set("socket.socket", "socket.create_connection", "ssl.wrap_socket", "socket.fromfd", "socket.socketpair")

// dnsFuncs resolve a name: a name built from data leaks it to whoever
// serves the zone.
var dnsFuncs = set("socket.gethostbyname", "socket.gethostbyname_ex", "socket.getaddrinfo", "socket.gethostbyaddr",
	"dns.resolver.resolve", "dns.resolver.query", "dns.resolver.Resolver.resolve", "dns.resolver.Resolver.query")

// hostFuncs identify the machine or its user.
var hostFuncs = set("socket.gethostname", "socket.getfqdn", "platform.node", "platform.uname", "os.uname",
	"getpass.getuser", "os.getlogin", "uuid.getnode", "pwd.getpwuid")

// timeFuncs read the clock.
var timeFuncs = set("datetime.datetime.now", "datetime.datetime.today", "datetime.datetime.utcnow", "datetime.date.today",
	"time.time", "time.localtime", "time.gmtime", "time.strftime", "time.ctime", "time.time_ns", "arrow.now", "arrow.utcnow",
	"pendulum.now", "pendulum.today")

// localeFuncs read the locale or time zone.
var localeFuncs = set("locale.getlocale", "locale.getdefaultlocale", "locale.setlocale", "time.tzname", "time.timezone",
	"tzlocal.get_localzone", "ctypes.windll.kernel32.GetUserDefaultUILanguage")

// decoders turn an encoded or compressed blob back into bytes.
var decoders = set(
	"base64.b64decode", "base64.b32decode", "base64.b16decode", "base64.b85decode", "base64.a85decode",
	"base64.urlsafe_b64decode", "base64.standard_b64decode", "base64.decodebytes", "base64.decodestring",
	"binascii.a2b_base64", "binascii.unhexlify", "binascii.a2b_hex", "bytes.fromhex", "bytearray.fromhex",
	"zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress", "marshal.loads",
)

// obfuscatingCodecs are the codecs.decode encodings that hide code.
var obfuscatingCodecs = set("rot13", "rot_13", "rot-13", "hex", "hex_codec", "base64", "base64_codec", "zlib", "zlib_codec", "bz2", "bz2_codec", "uu", "uu_codec")

// hashFuncs compute digests; comparing one decides integrity.
var hashFuncs = set("hashlib.sha256", "hashlib.sha512", "hashlib.sha384", "hashlib.sha1", "hashlib.md5", "hashlib.sha3_256",
	"hashlib.blake2b", "hashlib.blake2s", "hashlib.new", "hashlib.file_digest", "hmac.new", "hmac.digest")

// codeSinks run Python code (or load native code) given as an argument.
var codeSinks = set("exec", "eval", "execfile", "runpy.run_path", "runpy.run_module", "importlib.import_module", "__import__",
	"imp.load_source", "imp.load_module", "importlib.machinery.SourceFileLoader", "types.FunctionType",
	"ctypes.CDLL", "ctypes.cdll.LoadLibrary", "ctypes.WinDLL", "ctypes.windll.LoadLibrary")

// loadSinks deserialize objects: code when the bytes are an attacker's.
var loadSinks = set("pickle.loads", "pickle.load", "cPickle.loads", "dill.loads", "marshal.loads", "marshal.load", "joblib.load", "torch.load")

// cmdSinks run commands.
var cmdSinks = set(
	"os.system", "os.popen", "os.popen2", "os.popen3", "os.startfile", "os.posix_spawn", "os.posix_spawnp",
	"os.execv", "os.execve", "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execvp", "os.execvpe",
	"os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnv", "os.spawnve", "os.spawnvp",
	"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
	"subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "commands.getstatusoutput",
	"pty.spawn", "asyncio.create_subprocess_shell", "asyncio.create_subprocess_exec", "platform.popen",
)

// shellSinks interpret their argument with a shell.
var shellSinks = set("os.system", "os.popen", "os.popen2", "os.popen3", "subprocess.getoutput", "subprocess.getstatusoutput",
	"commands.getoutput", "commands.getstatusoutput", "asyncio.create_subprocess_shell", "platform.popen")

// destructive remove data.
var destructive = set("os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree", "os.truncate")

// readers open paths; a credential path read becomes a secret.
var readers = set("open", "io.open", "codecs.open", "os.listdir", "os.scandir", "os.walk", "glob.glob", "glob.iglob",
	"shutil.make_archive", "shutil.copy", "shutil.copyfile", "shutil.copytree", "shutil.copy2", "sqlite3.connect",
	"zipfile.ZipFile", "tarfile.open", "pathlib.Path", "os.path.expanduser", "browser_cookie3.chrome", "browser_cookie3.load")

// readMethods read a path object.
var readMethods = set("read_text", "read_bytes", "open", "read", "readlines", "iterdir", "glob", "rglob", "readline")

// interpreters run the file or code given as an argument.
var interpreters = set("python", "python2", "python3", "pythonw", "py", "sh", "bash", "zsh", "dash", "ksh", "cmd", "powershell", "pwsh",
	"node", "perl", "ruby", "wscript", "cscript", "mshta", "msiexec", "rundll32", "regsvr32", "pip", "pip3", "sys.executable", "start")

// envSecretKey: environment variable names that hold secrets.
var envSecretKey = regexp.MustCompile(`(?i)token|secret|passw|pwd|api_?key|access_?key|private_?key|credential|auth|session|cookie|webhook|_key$|^key$`)

var envLocaleKey = set("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "LC_CTYPE", "TZ")
var envHostKey = set("USER", "USERNAME", "LOGNAME", "COMPUTERNAME", "HOSTNAME", "USERDOMAIN", "HOME", "USERPROFILE")

// secretPaths are fragments of paths to credential stores (lower case,
// forward slashes): reading one and sending it is theft.
var secretPaths = []string{
	".ssh", "id_rsa", "id_ed25519", "id_ecdsa", "authorized_keys", ".aws/credentials", ".aws/config", ".npmrc", ".pypirc", ".netrc",
	".git-credentials", ".docker/config.json", ".kube/config", ".gnupg", ".bash_history", ".zsh_history", "/etc/shadow",
	"login data", "/cookies", "local state", "local storage/leveldb", "discord", "discordcanary", "discordptb",
	"exodus", "wallet.dat", "electrum/wallets", "atomic/local storage", "nkbihfbeogaeaoehlefnkodbefgpgknn",
	"google/chrome/user data", "bravesoftware", "mozilla/firefox", "key4.db", "logins.json", "telegram desktop/tdata",
	".config/gcloud", "application_default_credentials", ".azure", "keychain",
}

func isSecretPath(s string) bool {
	if len(s) < 4 || len(s) > 4096 {
		return false
	}
	l := strings.ReplaceAll(strings.ToLower(s), `\\`, "/")
	l = strings.ReplaceAll(l, `\`, "/")
	for _, p := range secretPaths {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// geoHosts answer "where is this machine".
var geoHosts = []string{"ipinfo.io", "ip-api.com", "ipapi.co", "geoip", "ipwhois", "freegeoip", "ipgeolocation", "ip2location", "geolocation-db", "ipwho.is"}

func isGeoURL(s string) bool {
	l := strings.ToLower(s)
	for _, h := range geoHosts {
		if strings.Contains(l, h) {
			return true
		}
	}
	return false
}

// downloadShell matches shell one-liners that fetch and run code.
var downloadShell = regexp.MustCompile(`(?i)(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da)?sh\b|(curl|wget)\b[^|;&]*\|\s*python|iex\s*\(?\s*\(?\s*new-object\s+(system\.)?net\.webclient\)?\.downloadstring|invoke-webrequest[^|;]*\|\s*iex|certutil(\.exe)?\s+-urlcache|bitsadmin(\.exe)?\s+/transfer|mshta(\.exe)?\s+https?:|pip3?\s+install\s+[^;&|]*\b(https?://|git\+)`)

// pinnedInstall: a pip command that checks hashes is not blind.
var pinnedInstall = regexp.MustCompile(`--require-hashes|--hash[= ]|#sha256=`)

// authFunc names functions that decide logins.
var authFunc = regexp.MustCompile(`(?i)login|logon|auth|check_?pass|verify_?(user|pass|cred)|valid_?(user|pass|cred)|check_?cred|signin|sign_in|is_?admin|has_?access`)

func isPasswordParam(n string) bool {
	l := strings.ToLower(n)
	switch l {
	// Not "token": in parsers and lexers (pycparser, sympy) a token is a
	// lexeme compared with ")" and "(" all day long.
	case "pwd", "pw", "pass_", "passwd", "pin", "otp", "secret", "apikey", "api_key", "passphrase", "auth_token", "access_token", "key_":
		return true
	}
	return strings.Contains(l, "password") || strings.Contains(l, "passwd")
}

func isUserParam(n string) bool {
	switch strings.ToLower(n) {
	case "user", "username", "user_name", "login", "uname", "userid", "user_id", "account", "email", "name":
		return true
	}
	return false
}

// privName: variables whose forced value grants privilege.
var privName = regexp.MustCompile(`(?i)admin|root|superuser|privileg|is_staff|sudo|^uid$|^euid$|authori[sz]ed|authenticated`)
