package pybehavior_test

import (
	"strings"
	"testing"
)

// Near misses: real-world idioms that look like the attacks and are not.
var negatives = []struct{ name, file, src string }{
	// node-gyp's ninja generator: a portability check, not a host gate.
	{"platform-check", "gyp/generator/ninja.py", `
import os, sys, subprocess
def memory():
    if sys.platform.startswith("linux"):
        subprocess.call(["make", "-j2"])
    elif sys.platform == "darwin":
        os.system("sysctl hw.memsize")
`},
	{"setup-pinned-wheel", "setup.py", `
import hashlib, os, subprocess, sys, urllib.request
from setuptools import setup

WHEEL = "https://files.example.com/native-1.2.0-py3-none-any.whl"
WHEEL_SHA256 = "0b5ad8d5e8f5a9c1b3a0c7f6f0ad5b8c3a1e6f4b2d7c9e0a1b2c3d4e5f6a7b8c"

def fetch_native(dest):
    data = urllib.request.urlopen(WHEEL).read()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        raise RuntimeError("checksum mismatch for " + WHEEL)
    path = os.path.join(dest, "native.whl")
    with open(path, "wb") as f:
        f.write(data)
    subprocess.check_call([sys.executable, "-m", "pip", "install", path])

setup(name="native-helper", version="1.2.0")
`},
	{"django-settings", "mysite/settings.py", `
import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": os.environ["DB_PASSWORD"], "HOST": os.getenv("DB_HOST", "localhost")}}
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")
`},
	{"boto3-credential-chain", "mycloud/credentials.py", `
import configparser, os, json
from urllib.request import Request, urlopen

def from_env():
    key = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    token = os.environ.get("AWS_SESSION_TOKEN")
    if key and secret:
        return {"access_key": key, "secret_key": secret, "token": token}

def from_shared_file(profile="default"):
    path = os.path.expanduser(os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
    cp = configparser.ConfigParser()
    cp.read(path)
    if profile in cp:
        return {"access_key": cp[profile]["aws_access_key_id"], "secret_key": cp[profile]["aws_secret_access_key"]}

def from_imds():
    tok = urlopen(Request("http://169.254.169.254/latest/api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "21600"})).read()
    role = urlopen(Request("http://169.254.169.254/latest/meta-data/iam/security-credentials/", headers={"X-aws-ec2-metadata-token": tok})).read()
    return json.loads(role)

def resolve():
    return from_env() or from_shared_file() or from_imds()
`},
	{"telemetry-name-version", "pkg/telemetry.py", `
import platform, requests, sys
from . import __version__

def send_usage(event):
    payload = {"name": "mypkg", "version": __version__, "event": event, "python": platform.python_version(), "os": sys.platform}
    try:
        requests.post("https://telemetry.example.com/v1", json=payload, timeout=2)
    except requests.RequestException:
        pass
`},
	{"github-token-header", "pkg/gh.py", `
import os, requests
def latest_release(repo):
    headers = {"Authorization": "Bearer " + os.environ["GITHUB_TOKEN"]}
    return requests.get(f"https://api.github.com/repos/{repo}/releases/latest", headers=headers).json()
`},
	{"hashlib-password", "app/auth.py", `
import hashlib, hmac
def check_password(username, password):
    stored = load_hash(username)
    hashed = hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 100000).hex()
    if hmac.compare_digest(hashed, stored):
        return True
    if password == "":
        return False
    return False
`},
	{"admin-with-password-check", "app/login.py", `
def login(username, password):
    if username == "admin" and check_password_hash(ADMIN_HASH, password):
        return True
    if username == "guest":
        return False
    return False
`},
	{"config-defaults", "app/config.py", `
DEFAULT_PASSWORD = "changeme"
class Config:
    password = "changeme"
    def is_default(self, password):
        return password == self.password
`},
	{"b64-test-vectors", "tests/test_codec.py", `
import base64
VECTORS = [("Zm9vYmFy", b"foobar"), ("Zm9v", b"foo")]
def test_decode():
    for enc, want in VECTORS:
        assert base64.b64decode(enc) == want
`},
	{"b64-image", "pkg/icons.py", `
import base64
ICON = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAA")
def icon_bytes():
    return ICON
`},
	{"cache-expiry", "pkg/cache.py", `
import os, time
MAX_AGE = 3600
def prune(d):
    for fn in os.listdir(d):
        p = os.path.join(d, fn)
        if time.time() - os.path.getmtime(p) > MAX_AGE:
            os.remove(p)
`},
	{"deprecation-date", "pkg/compat.py", `
import datetime, warnings
if datetime.date.today() > datetime.date(2030, 1, 1):
    warnings.warn("this shim is deprecated", DeprecationWarning)
`},
	{"subprocess-git-from-api", "pkg/vcs.py", `
import subprocess, requests
def checkout(repo):
    sha = requests.get(f"https://api.example.com/{repo}/head").json()["sha"]
    subprocess.run(["git", "checkout", sha], check=True)
`},
	{"download-untar", "pkg/data.py", `
import urllib.request, subprocess
def get_corpus(dest):
    urllib.request.urlretrieve("https://example.com/corpus.tar.gz", dest)
    subprocess.run(["tar", "xzf", dest])
`},
	{"namedtuple-exec-template", "pkg/nt.py", `
_template = '''class {typename}(tuple):
    __slots__ = ()
    def __new__(cls, {args}):
        return tuple.__new__(cls, ({args},))
'''
def make(typename, fields):
    src = _template.format(typename=typename, args=", ".join(fields))
    ns = {}
    exec(src, ns)
    return ns[typename]
`},
	{"flask-safe", "app/ok.py", `
import subprocess
from flask import request
def ping():
    host = request.args.get("host", "")
    subprocess.run(["ping", "-c", "1", host], check=False)
`},
	{"vendored-minified", "pkg/_vendor/six.py", `
import sys
PY3 = sys.version_info[0] == 3
def exec_(_code_, _globs_=None, _locs_=None):
    if _globs_ is None:
        frame = sys._getframe(1)
        _globs_ = frame.f_globals
    exec("""exec _code_ in _globs_, _locs_""")
`},
	{"requests-proxy-env", "pkg/http.py", `
import os, requests
proxies = {"https": os.environ.get("HTTPS_PROXY")}
requests.get("https://example.com", proxies=proxies)
`},
	{"pth-virtualenv", "site-packages/_virtualenv.pth", "import _virtualenv\n"},
	{"pth-distutils-precedence", "site-packages/distutils-precedence.pth", "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n"},
	{"pth-paths", "site-packages/easy-install.pth", "./foo-1.0-py3.11.egg\n/opt/lib/python\n"},
	{"pth-editable", "site-packages/__editable__.mypkg-0.1.pth", "import __editable___mypkg_0_1_finder; __editable___mypkg_0_1_finder.install()\n"},
	{"aligned-table", "pkg/table.py", "DATA = {\n    'a': 1," + strings.Repeat(" ", 40) + "# comment\n}\n"},
	{"sphinx-conf-env", "docs/conf.py", `
import os
on_rtd = os.environ.get("READTHEDOCS") == "True"
`},
}

func TestNearMisses(t *testing.T) {
	for _, c := range negatives {
		t.Run(c.name, func(t *testing.T) {
			fs := one(t, c.file, c.src)
			if len(fs) > 0 {
				t.Errorf("want nothing, got %s", summaryOf(fs))
			}
		})
	}
}
