// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vsock: the virtio socket device (VIRTIO 1.2, 5.10) as vmm maps it to unix
// sockets (Firecracker's hybrid vsock): the guest CID in the config space
// is the one the host chose (vmmkit.vsock_cid, default 3); a connection to
// host port 5000 (the host test's echo listener on <uds>_5000) echoes a
// line; then a connection the host opens to guest port 52 ("CONNECT 52")
// carries "ping\n" in and "pong\n" out. Both end with SHUTDOWN and the
// device's RST.
#include "checks.h"
#include "cmdline.h"
#include "console.h"
#include "virtio_vsock.h"

#define ECHO_PORT 5000
#define LISTEN_PORT 52

static bool ping_pong(struct vsock* v, struct vsock_conn* c, struct sink* detail) {
  static struct vsock_packet p;
  static char line[16];
  uint32_t got = 0;
  while (got < 5) {
    if (!vsock_expect(v, c, VSOCK_OP_RW, 5000000, &p, detail)) return false;
    for (uint32_t i = 0; i < p.data_len && got < sizeof(line); i++) line[got++] = (char)p.data[i];
  }
  if (got != 5 || memcmp(line, "ping\n", 5) != 0) {
    add_failure(detail, "port 52 received \"%.*s\", want \"ping\\n\"", (int)got, line);
    return false;
  }
  return vsock_send(v, c, VSOCK_OP_RW, 0, "pong\n", 5, 5, detail);
}

bool check_vsock(const struct guest* g, struct sink* detail) {
  struct vsock v;
  if (!dma_reset(g, detail) || !vsock_open(g, &v, detail)) return false;
  uint64_t want_cid = cmdline_u64(&g->boot, "vmmkit.vsock_cid", 3);
  uint64_t timeout_ms = cmdline_u64(&g->boot, "vmmkit.vsock_timeout_ms", 5000);
  struct vsock_conn c;
  uint32_t echo_fwd = 0, echo_alloc = 0;
  if (v.guest_cid != want_cid) {
    add_failure(detail, "config guest_cid %lu, want %lu", v.guest_cid, want_cid);
  } else if (vsock_connect(&v, &c, ECHO_PORT, detail) && vsock_echo(&v, &c, "hello vsock\n", detail)) {
    echo_fwd = c.peer_fwd_cnt;
    echo_alloc = c.peer_buf_alloc;
    vsock_close(&v, &c, detail);
  }
  if (!detail->len) {
    say("vsock: waiting for host connection to port %u (up to %lu ms)", LISTEN_PORT, timeout_ms);
    if (vsock_accept(&v, &c, LISTEN_PORT, timeout_ms * 1000, detail) && ping_pong(&v, &c, detail))
      vsock_close(&v, &c, detail);
  }
  uint32_t irqs = virtio_irq_wait(100000);
  virtio_close(g, &v.dev);
  if (detail->len) return false;
  sink_printf(detail,
              "device %u at %#lx: cid %lu, echo on port %u (peer buf_alloc %u, fwd_cnt %u), "
              "ping/pong on port %u from host port %u, %u interrupts on IOAPIC pin %d",
              v.dev.position, v.dev.base, v.guest_cid, ECHO_PORT, echo_alloc, echo_fwd, LISTEN_PORT,
              c.peer_port, irqs, v.dev.pin);
  return true;
}
