// Package cbehavior finds backdoor behaviour in C and C++ source: what an
// attacker adds to a server or a kernel, read from a tokenizer (with
// preprocessor lines, comments, string and char literals) and a bracket
// structure pass that sees functions, if-conditions, calls and their
// arguments, and #define macros.
//
//	DM-C-001  hidden-trigger: an if-condition compares input with a literal
//	          magic value (strcmp/strncmp/memcmp/strstr with a literal or a
//	          macro constant, `==` with a string in C++, or a chain of
//	          character tests such as p[i]==0x3a && p[i+1]==0x29) and the
//	          guarded block - directly, through functions defined in any file
//	          of the target, or through macros - starts a shell or runs the
//	          compared input (critical), sets uid/gid 0, opens a listening
//	          socket, or skips authentication in an authentication function
//	          (high), or runs a fixed command (medium). vsftpd 2.3.4 ":)",
//	          ProFTPD 1.3.3c "ACIDBITCHEZ", UnrealIRCd 3.2.8.1 "AB".
//	          Comparisons of argv, optarg or getenv (and anything in main) are
//	          local option handling: low.
//	DM-C-002  hidden-trigger: an assignment-in-condition privilege trick:
//	          `= 0` to a uid/gid/euid/cred field inside an if or while
//	          condition (the 2003 Linux wait4 attempt `(current->uid = 0)`),
//	          or setuid(0)-family calls as an operand of && / ||. High.
//	DM-C-003  remote-command-execution: in one function, data received from
//	          a socket (recv, recvfrom, SSL_read, read on an accepted
//	          descriptor) flows through assignments and copies into system,
//	          popen or exec* as the command or the program. High.
//
// Severities are written for run-time code and adjusted by when the file
// runs (analyzer/behavior): tests, examples and docs are low.
//
// The literal signatures of the published C backdoors (vsftpd, ProFTPD,
// UnrealIRCd) are rules DM-KBD-160.. in rules/builtin/kbd-c.yaml.
package cbehavior
