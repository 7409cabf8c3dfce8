// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// e2e-sock: the socket ends busybox has no tool for, used by the L1 and L2
// init scripts of the Linux end-to-end test. Built static (gcc -static) so it
// runs in both initramfs images without a library closure.
//
//   e2e-sock request PATH LINE            unix client: send LINE, print one reply line
//                                          (the vmm control socket)
//   e2e-sock unix-ack PATH                unix server: accept one client, read a line,
//                                          answer "ack:LINE" (host end of guest->host vsock)
//   e2e-sock vsock-ack PORT               AF_VSOCK server in the guest, same answer
//   e2e-sock vsock-send CID PORT LINE      AF_VSOCK client in the guest
//   e2e-sock vsock-via-uds PATH PORT LINE  host client of vmm's vsock unix socket:
//                                          "CONNECT PORT\n", expect "OK ...\n", then as vsock-send
//
// Every mode gives up after a timeout (alarm: kTimeoutS for clients,
// kServerTimeoutS for servers), prints what it received on stdout and says why it failed on stderr (exit status 1).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

// Clients give up after kTimeoutS; servers wait for their client as long as a
// whole L2 boot may take (the harness's own limits end a stuck run sooner).
enum { kTimeoutS = 30, kServerTimeoutS = 600, kLineMax = 4096 };

static int fail(const char* what) {
  fprintf(stderr, "e2e-sock: %s: %s\n", what, errno ? strerror(errno) : "unexpected data");
  return 1;
}

static int unix_address(const char* path, struct sockaddr_un* addr) {
  memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof(addr->sun_path)) return -1;
  strcpy(addr->sun_path, path);
  return 0;
}

// Reads one line (without its '\n') byte by byte, so nothing after it is consumed.
static int read_line(int fd, char* line) {
  size_t n = 0;
  for (;;) {
    char c;
    ssize_t got = read(fd, &c, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return n > 0 ? 0 : -1;
    if (c == '\n') break;
    if (n + 1 >= kLineMax) return -1;
    line[n++] = c;
  }
  line[n] = '\0';
  return 0;
}

static int write_line(int fd, const char* text) {
  char buf[kLineMax + 1];
  int n = snprintf(buf, sizeof(buf), "%s\n", text);
  if (n < 0 || n >= (int)sizeof(buf)) return -1;
  return write(fd, buf, (size_t)n) == n ? 0 : -1;
}

// Sends LINE and prints the first line of the answer.
static int exchange(int fd, const char* line) {
  char reply[kLineMax];
  if (write_line(fd, line) < 0) return fail("write");
  errno = 0;
  if (read_line(fd, reply) < 0) return fail("read reply");
  printf("%s\n", reply);
  return 0;
}

// Answers one client's line with "ack:LINE".
static int ack_one(int listener) {
  char line[kLineMax], answer[kLineMax + 8];
  int client = accept(listener, NULL, NULL);
  if (client < 0) return fail("accept");
  errno = 0;
  if (read_line(client, line) < 0) return fail("read");
  snprintf(answer, sizeof(answer), "ack:%s", line);
  if (write_line(client, answer) < 0) return fail("write");
  printf("%s\n", line);
  close(client);
  return 0;
}

static int request(const char* path, const char* line) {
  struct sockaddr_un addr;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || unix_address(path, &addr) < 0) return fail("unix socket");
  if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0) return fail(path);
  return exchange(fd, line);
}

static int unix_ack(const char* path) {
  struct sockaddr_un addr;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || unix_address(path, &addr) < 0) return fail("unix socket");
  unlink(path);
  if (bind(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) return fail(path);
  return ack_one(fd);
}

static struct sockaddr_vm vsock_address(unsigned cid, unsigned port) {
  struct sockaddr_vm addr;
  memset(&addr, 0, sizeof(addr));
  addr.svm_family = AF_VSOCK;
  addr.svm_cid = cid;
  addr.svm_port = port;
  return addr;
}

static int vsock_ack(unsigned port) {
  struct sockaddr_vm addr = vsock_address(VMADDR_CID_ANY, port);
  int fd = socket(AF_VSOCK, SOCK_STREAM, 0);
  if (fd < 0) return fail("vsock socket");
  if (bind(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) return fail("vsock listen");
  return ack_one(fd);
}

static int vsock_send(unsigned cid, unsigned port, const char* line) {
  struct sockaddr_vm addr = vsock_address(cid, port);
  int fd = socket(AF_VSOCK, SOCK_STREAM, 0);
  if (fd < 0) return fail("vsock socket");
  if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0) return fail("vsock connect");
  return exchange(fd, line);
}

// The Firecracker-style host side of vsock: connect to the device's unix
// socket, ask for a guest port, and wait for "OK <host port>".
static int vsock_via_uds(const char* path, const char* port, const char* line) {
  char connect_line[64], reply[kLineMax];
  struct sockaddr_un addr;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || unix_address(path, &addr) < 0) return fail("unix socket");
  if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0) return fail(path);
  snprintf(connect_line, sizeof(connect_line), "CONNECT %s", port);
  if (write_line(fd, connect_line) < 0) return fail("write CONNECT");
  errno = 0;
  if (read_line(fd, reply) < 0) return fail("read OK line");
  if (strncmp(reply, "OK ", 3) != 0) {
    fprintf(stderr, "e2e-sock: expected \"OK <port>\", got \"%s\"\n", reply);
    return 1;
  }
  return exchange(fd, line);
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, NULL, _IONBF, 0);
  const char* mode = argc > 1 ? argv[1] : "";
  int server = !strcmp(mode, "unix-ack") || !strcmp(mode, "vsock-ack");
  alarm(server ? kServerTimeoutS : kTimeoutS);  // the default action ends the process: no mode can hang a test
  if (!strcmp(mode, "request") && argc == 4) return request(argv[2], argv[3]);
  if (!strcmp(mode, "unix-ack") && argc == 3) return unix_ack(argv[2]);
  if (!strcmp(mode, "vsock-ack") && argc == 3) return vsock_ack((unsigned)strtoul(argv[2], NULL, 10));
  if (!strcmp(mode, "vsock-send") && argc == 5)
    return vsock_send((unsigned)strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10), argv[4]);
  if (!strcmp(mode, "vsock-via-uds") && argc == 5) return vsock_via_uds(argv[2], argv[3], argv[4]);
  fprintf(stderr, "usage: e2e-sock request|unix-ack|vsock-ack|vsock-send|vsock-via-uds ... (see the source)\n");
  return 2;
}
