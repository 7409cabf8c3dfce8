// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// rng: the entropy device (VIRTIO 1.2, 5.4) fills two 64-byte requests;
// neither is all zero and they differ.
#include "checks.h"
#include "virtqueue.h"

#define RNG_BYTES 64
#define RNG_TIMEOUT_US 2000000

static bool all_zero(const uint8_t* p, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

static bool fill(struct virtio_dev* d, struct virtq* q, uint8_t* buf, struct sink* detail) {
  struct vbuf b = {dma_addr(buf), RNG_BYTES, true};
  uint32_t used = 0;
  if (virtq_call(d, q, &b, 1, RNG_TIMEOUT_US, &used, detail) != VIRTQ_USED) return false;
  if (used != RNG_BYTES) add_failure(detail, "used len %u for a %u-byte request", used, RNG_BYTES);
  return used == RNG_BYTES;
}

bool check_rng(const struct guest* g, struct sink* detail) {
  struct virtio_dev d;
  struct virtq q;
  if (!dma_reset(g, detail) || !virtio_open(g, VIRTIO_ID_RNG, 0, &d, &q, 1, detail)) return false;
  uint8_t* a = dma_alloc(RNG_BYTES, 16, true);
  uint8_t* b = dma_alloc(RNG_BYTES, 16, true);
  if (fill(&d, &q, a, detail) && fill(&d, &q, b, detail)) {
    if (all_zero(a, RNG_BYTES) || all_zero(b, RNG_BYTES)) add_failure(detail, "a request came back all zero");
    if (memcmp(a, b, RNG_BYTES) == 0) add_failure(detail, "two requests returned the same bytes");
  }
  uint32_t irqs = virtio_irq_wait(100000);
  virtio_close(g, &d);
  if (detail->len) return false;
  sink_printf(detail, "device %u at %#lx: 2 x %u random bytes, distinct, %u interrupts on IOAPIC pin %d",
              d.position, d.base, RNG_BYTES, irqs, d.pin);
  return true;
}
