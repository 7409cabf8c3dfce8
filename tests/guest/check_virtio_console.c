// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vconsole: the virtio console (VIRTIO 1.2, 5.3; one port, no MULTIPORT):
// a line out through transmitq0, then a line in through receiveq0 — the
// host test answers the greeting with "ping\n".
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "virtio_console.h"

#define HELLO "vconsole: hello from hvc0\n"
#define LINE_MAX 64

bool vconsole_send(struct virtio_dev* d, struct virtq* tx, const void* text, uint32_t len,
                   struct sink* detail) {
  void* buf = dma_alloc(len, 16, false);
  memcpy(buf, text, len);
  struct vbuf b = {dma_addr(buf), len, false};
  uint32_t used = 0;
  return virtq_call(d, tx, &b, 1, VCONSOLE_TIMEOUT_US, &used, detail) == VIRTQ_USED;
}

bool vconsole_open(const struct guest* g, struct virtio_dev* d, struct virtq* q, struct sink* detail) {
  if (!virtio_open(g, VIRTIO_ID_CONSOLE, 0, d, q, 2, detail)) return false;
  virtq_post_rx(d, &q[VCONSOLE_RX], 4, LINE_MAX);
  return true;
}

struct line {
  char text[LINE_MAX];
  unsigned len, received;
};

// Reads receiveq until a non-empty line ends or the time is up.
static bool read_line(struct virtio_dev* d, struct virtq* rx, struct line* l, uint64_t timeout_us) {
  uint64_t deadline = clock_us() + timeout_us;
  for (;;) {
    uint64_t now = clock_us();
    if (now >= deadline) return false;
    uint32_t id, len;
    const uint8_t* p = virtq_take_rx(d, rx, deadline - now, &id, &len);
    if (!p) return false;
    bool done = false;
    for (uint32_t i = 0; i < len && !done; i++) {
      l->received++;
      if (p[i] == '\n' || p[i] == '\r') {
        done = l->len > 0;
      } else if (l->len < LINE_MAX) {
        l->text[l->len++] = (char)p[i];
      }
    }
    virtq_repost_rx(d, rx, id);
    if (done) return true;
  }
}

bool check_vconsole(const struct guest* g, struct sink* detail) {
  struct virtio_dev d;
  struct virtq q[2];
  if (!dma_reset(g, detail) || !vconsole_open(g, &d, q, detail)) return false;
  uint64_t timeout_ms = cmdline_u64(&g->boot, "vmmkit.vconsole_timeout_ms", 5000);
  if (vconsole_send(&d, &q[VCONSOLE_TX], HELLO, sizeof(HELLO) - 1, detail)) {
    say("vconsole: waiting up to %lu ms for a line on hvc0", timeout_ms);
    struct line l = {0};
    if (!read_line(&d, &q[VCONSOLE_RX], &l, timeout_ms * 1000)) {
      add_failure(detail, "no line on receiveq0 within %lu ms (%u bytes: \"%.*s\")", timeout_ms, l.received,
                  (int)l.len, l.text);
    } else if (!str_eq(l.text, l.len, "ping")) {
      add_failure(detail, "got \"%.*s\", want \"ping\"", (int)l.len, l.text);
    } else {
      say("vconsole: got ping");
    }
  }
  uint32_t irqs = virtio_irq_wait(100000);
  virtio_close(g, &d);
  if (detail->len) return false;
  sink_printf(detail,
              "device %u at %#lx: greeting sent on transmitq0, \"ping\" received on receiveq0, "
              "%u interrupts on IOAPIC pin %d",
              d.position, d.base, irqs, d.pin);
  return true;
}
