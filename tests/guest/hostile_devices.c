// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Hostile cases for the other devices, when the command line has them:
// the read-only disk, rng, console, vsock and net, and a flood through the
// serial port. Each case is followed by a correct request.
#include "arch.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "hostile.h"
#include "uart.h"
#include "virtio_console.h"
#include "virtio_net.h"
#include "virtio_vsock.h"

#define OUTSIDE_RAM (1ull << 40)
#define RNG_CAP 65536u
#define FLOOD_PAGE 4096u
#define FLOOD_TIMEOUT_US 20000000

// Finds the device quietly: absent devices are skipped, not failures.
static bool present(const struct hostile* h, uint32_t type) {
  char buf[8];
  struct sink quiet;
  sink_init(&quiet, buf, sizeof(buf), NULL);
  struct virtio_dev d;
  return dma_reset(h->g, &quiet) && virtio_find(h->g, type, 0, &d, &quiet);
}

// One chain of one buffer outside RAM: completed with used len 0.
static void outside_ram(struct hostile* h, struct virtio_dev* d, struct virtq* q, bool writable) {
  struct vbuf b = {OUTSIDE_RAM, 64, writable};
  uint32_t len = 0;
  if (virtq_call(d, q, &b, 1, 2000000, &len, &h->reason) == VIRTQ_USED && len != 0)
    add_failure(&h->reason, "used len %u for a buffer outside RAM", len);
}

void hostile_read_only(struct hostile* h) {
  char buf[8];
  struct sink quiet;
  sink_init(&quiet, buf, sizeof(buf), NULL);
  struct blk b;
  if (!dma_reset(h->g, &quiet) || !blk_open(h->g, true, &b, &quiet)) {
    hostile_skip("write to the read-only disk", "no read-only disk");
    return;
  }
  uint8_t* before = dma_alloc(BLK_SECTOR, 16, true);
  uint8_t* after = dma_alloc(BLK_SECTOR, 16, true);
  uint8_t* mine = dma_alloc(BLK_SECTOR, 16, true);
  struct vbuf rb = {dma_addr(before), BLK_SECTOR, true}, ra = {dma_addr(after), BLK_SECTOR, true};
  struct vbuf w = {dma_addr(mine), BLK_SECTOR, false};
  blk_fill(mine, 0, 1, rdtsc());
  int r1 = blk_request(&b, BLK_T_IN, 0, &rb, 1, NULL, &h->reason);
  int ws = blk_request(&b, BLK_T_OUT, 0, &w, 1, NULL, &h->reason);
  int r2 = blk_request(&b, BLK_T_IN, 0, &ra, 1, NULL, &h->reason);
  if (ws != BLK_S_IOERR) add_failure(&h->reason, "write status %d, want IOERR (1)", ws);
  if (r1 != BLK_S_OK || r2 != BLK_S_OK) add_failure(&h->reason, "reads: status %d and %d", r1, r2);
  if (memcmp(before, after, BLK_SECTOR) != 0) add_failure(&h->reason, "the data changed");
  blk_close(h->g, &b);
  hostile_report(h, "write to the read-only disk");
}

static bool rng_ok(struct hostile* h, struct virtio_dev* d, struct virtq* q) {
  struct vbuf b = {dma_addr(dma_alloc(64, 16, true)), 64, true};
  uint32_t len = 0;
  if (virtq_call(d, q, &b, 1, 2000000, &len, &h->reason) != VIRTQ_USED) return false;
  if (len != 64) add_failure(&h->reason, "the correct 64-byte request after it: used len %u", len);
  return len == 64;
}

void hostile_rng(struct hostile* h) {
  struct virtio_dev d;
  struct virtq q;
  if (!present(h, VIRTIO_ID_RNG)) {
    hostile_skip("rng cases", "no rng device");
    return;
  }
  if (!virtio_open(h->g, VIRTIO_ID_RNG, 0, &d, &q, 1, &h->reason)) {
    hostile_report(h, "rng open");
    return;
  }
  struct vbuf huge = {dma_addr(dma_alloc(MiB(1), 16, false)), (uint32_t)MiB(1), true};
  uint32_t len = 0;
  if (virtq_call(&d, &q, &huge, 1, 2000000, &len, &h->reason) == VIRTQ_USED && (len == 0 || len > RNG_CAP))
    add_failure(&h->reason, "1 MiB request answered with %u bytes, want 1..%u", len, RNG_CAP);
  if (!h->reason.len) rng_ok(h, &d, &q);
  hostile_report(h, "huge rng request");
  outside_ram(h, &d, &q, true);
  if (!h->reason.len) rng_ok(h, &d, &q);
  hostile_report(h, "rng buffer outside guest RAM");
  virtq_set_avail_idx(&q, (uint16_t)(q.next_avail + q.size + 1));
  virtq_notify(&d, &q);
  struct virtq_used_elem e;
  if (virtq_wait_used(&d, &q, 1000000, &e) != VIRTQ_NEEDS_RESET)
    add_failure(&h->reason, "Status %#x: no DEVICE_NEEDS_RESET", virtio_status(&d));
  else if (virtio_restart(&d, 0, &q, 1, &h->reason))
    rng_ok(h, &d, &q);
  hostile_report(h, "rng avail.idx more than queue size ahead");
  virtio_close(h->g, &d);
}

// 1 MiB through transmitq0: size chains, each an indirect table of size
// entries that all point at the same 4 KiB of text.
static void console_flood(struct hostile* h, struct virtio_dev* d, struct virtq* tx) {
  char* page = dma_alloc(FLOOD_PAGE, 16, false);
  for (unsigned i = 0; i < FLOOD_PAGE; i++) page[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
  struct vbuf bufs[VIRTQ_SIZE];
  for (unsigned i = 0; i < tx->size; i++) bufs[i] = (struct vbuf){dma_addr(page), FLOOD_PAGE, false};
  struct virtq_desc* table = dma_alloc(tx->size * sizeof(*table), 16, false);
  for (uint16_t i = 0; i < tx->size; i++) {
    virtq_put_indirect(tx, i, table, bufs, tx->size);
    virtq_make_available(tx, i);
  }
  virtq_notify(d, tx);
  uint64_t start = clock_us();
  unsigned done = 0;
  struct virtq_used_elem e;
  while (done < tx->size && virtq_wait_used(d, tx, FLOOD_TIMEOUT_US, &e) == VIRTQ_USED) done++;
  if (done < tx->size) add_failure(&h->reason, "%u of %u chains completed", done, tx->size);
  say("hostile: console flood of %u KiB took %lu ms", tx->size * tx->size * FLOOD_PAGE / 1024,
      (clock_us() - start) / 1000);
}

void hostile_console(struct hostile* h) {
  struct virtio_dev d;
  struct virtq q[2];
  if (!present(h, VIRTIO_ID_CONSOLE)) {
    hostile_skip("console cases", "no console device");
    return;
  }
  if (!vconsole_open(h->g, &d, q, &h->reason)) {
    hostile_report(h, "console open");
    return;
  }
  console_flood(h, &d, &q[VCONSOLE_TX]);
  if (!h->reason.len) vconsole_send(&d, &q[VCONSOLE_TX], "\nflood done\n", 12, &h->reason);
  hostile_report(h, "console flood");
  outside_ram(h, &d, &q[VCONSOLE_TX], false);
  if (!h->reason.len) vconsole_send(&d, &q[VCONSOLE_TX], "after outside-RAM\n", 18, &h->reason);
  hostile_report(h, "console buffer outside guest RAM");
  virtio_close(h->g, &d);
}

// A new connection to the host's port 5000 is accepted (REQUEST, RESPONSE)
// and closes cleanly. No echo: the host test's listener may have stopped
// accepting after the vsock check's connection (the kernel still completes
// connections into its backlog).
static bool vsock_works(struct hostile* h, struct vsock* v) {
  struct vsock_conn c;
  return vsock_connect(v, &c, 5000, &h->reason) && vsock_close(v, &c, &h->reason);
}

void hostile_vsock(struct hostile* h) {
  struct vsock v;
  if (!present(h, VIRTIO_ID_VSOCK)) {
    hostile_skip("vsock cases", "no vsock device");
    return;
  }
  if (!vsock_open(h->g, &v, &h->reason)) {
    hostile_report(h, "vsock open");
    return;
  }
  struct vsock_conn c;
  if (vsock_connect(&v, &c, 5000, &h->reason) &&
      vsock_send(&v, &c, VSOCK_OP_RW, 0, "short\n", 6, 1000, &h->reason)) {
    sleep_us(100000);  // whatever the device answers (RST) is skipped by the next connection
    vsock_send(&v, &c, VSOCK_OP_RST, 0, NULL, 0, 0, &h->reason);
    vsock_works(h, &v);
  }
  hostile_report(h, "vsock hdr.len larger than the payload");
  outside_ram(h, &v.dev, &v.q[VSOCK_TX], false);
  if (!h->reason.len) vsock_works(h, &v);
  hostile_report(h, "vsock packet outside guest RAM");
  virtio_close(h->g, &v.dev);
}

static void net_frame_ok(struct hostile* h, struct net* n) {
  static uint8_t frame[60];
  memset(frame, 0xff, 6);
  memcpy(frame + 6, n->mac, 6);
  frame[12] = 0x88;  // a local experimental EtherType (IEEE 802 88B5)
  frame[13] = 0xb5;
  net_send(n, frame, sizeof(frame), &h->reason);
}

void hostile_net(struct hostile* h) {
  struct net n;
  if (!present(h, VIRTIO_ID_NET)) {
    hostile_skip("net cases", "no net device");
    return;
  }
  if (!net_open(h->g, &n, &h->reason)) {
    hostile_report(h, "net open");
    return;
  }
  struct vbuf shorty = {dma_addr(dma_alloc(6, 16, true)), 6, false};
  uint32_t len = 0;
  virtq_call(&n.dev, &n.q[NET_TX], &shorty, 1, 2000000, &len, &h->reason);
  if (!h->reason.len) net_frame_ok(h, &n);
  hostile_report(h, "net frame shorter than its header");
  outside_ram(h, &n.dev, &n.q[NET_TX], false);
  if (!h->reason.len) net_frame_ok(h, &n);
  hostile_report(h, "net frame outside guest RAM");
  virtio_close(h->g, &n.dev);
}

void hostile_serial(struct hostile* h) {
  // About 9 KiB: far beyond the 16-byte FIFO and any 4 KiB line buffer,
  // while each byte costs a VM exit (a second or two here).
  uint64_t lines = cmdline_u64(&h->g->boot, "vmmkit.serial_flood_lines", 100);
  uint64_t start = clock_us();
  for (unsigned i = 0; i < lines; i++)
    say("hostile: serial flood %03u abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", i);
  uint64_t ms = (clock_us() - start) / 1000;
  if (!(uart_read(UART_LSR) & UART_LSR_THRE)) sleep_us(10000);
  if (!(uart_read(UART_LSR) & UART_LSR_THRE)) add_failure(&h->reason, "the transmitter stays busy");
  say("hostile: serial flood of %lu lines took %lu ms", lines, ms);
  hostile_report(h, "serial flood");
}
