// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// hostile: broken chains, rings and registers against the first writable
// block device, then against the other devices that are present, each case
// followed by a correct request that must still work (hostile.h). One line
// per case; PASS only when every case passed.
#include "arch.h"
#include "console.h"
#include "hostile.h"

#define PROBE_SECTOR 9u

void hostile_report(struct hostile* h, const char* name) {
  if (h->reason.len == 0) {
    say("hostile: %s: ok", name);
    h->passed++;
  } else {
    say("hostile: %s: FAILED (%s)", name, h->why);
    h->failed++;
  }
  sink_init(&h->reason, h->why, sizeof(h->why), NULL);
}

void hostile_blk_report(struct hostile* h, struct blk* b, const char* name) {
  hostile_report(h, name);
  if (virtio_status(&b->dev) & VIRTIO_STATUS_NEEDS_RESET) blk_restart(b, &h->reason);
  if (h->reason.len) {
    say("hostile: the block device does not come back after a reset: %s", h->why);
    sink_init(&h->reason, h->why, sizeof(h->why), NULL);
  }
}

void hostile_skip(const char* name, const char* why) { say("hostile: %s: skipped (%s)", name, why); }

// Takes the used entries a case left behind (the same head served twice).
static void drain(struct blk* b) {
  struct virtq_used_elem e;
  while (virtq_wait_used(&b->dev, &b->q, 0, &e) == VIRTQ_USED) {
  }
}

bool hostile_blk_recovers(struct hostile* h, struct blk* b, bool reset_allowed) {
  struct sink* r = &h->reason;
  if (virtio_status(&b->dev) & VIRTIO_STATUS_NEEDS_RESET) {
    if (!reset_allowed) {
      add_failure(r, "device set DEVICE_NEEDS_RESET");
      return false;
    }
    if (!blk_restart(b, r)) return false;
  } else {
    drain(b);
  }
  static uint64_t seed = 0x686f7374696c65ull;  // "hostile"
  seed += rdtsc();
  uint8_t* out = dma_alloc(BLK_SECTOR, 16, false);
  uint8_t* in = dma_alloc(BLK_SECTOR, 16, true);
  blk_fill(out, PROBE_SECTOR, 1, seed);
  struct vbuf w = {dma_addr(out), BLK_SECTOR, false}, rd = {dma_addr(in), BLK_SECTOR, true};
  int ws = blk_request(b, BLK_T_OUT, PROBE_SECTOR, &w, 1, NULL, r);
  int rs = blk_request(b, BLK_T_IN, PROBE_SECTOR, &rd, 1, NULL, r);
  if (ws != BLK_S_OK || rs != BLK_S_OK) {
    add_failure(r, "the correct request after it: write status %d, read status %d", ws, rs);
    return false;
  }
  if (blk_verify(in, PROBE_SECTOR, 1, seed) >= 0) {
    add_failure(r, "the correct request after it read back wrong data");
    return false;
  }
  return true;
}

bool hostile_blk_refused(struct hostile* h, struct blk* b, uint16_t head) {
  *b->status = 0xff;
  uint32_t len = 0;
  if (virtq_call_head(&b->dev, &b->q, head, BLK_TIMEOUT_US, &len, &h->reason) != VIRTQ_USED) return false;
  uint8_t status = *b->status;
  if (len == 0 || (len == 1 && status == BLK_S_IOERR)) return true;
  add_failure(&h->reason, "used len %u, status byte %#x; want len 0, or len 1 with IOERR", len, status);
  return false;
}

bool check_hostile(const struct guest* g, struct sink* detail) {
  static struct hostile h;
  h = (struct hostile){.g = g};
  sink_init(&h.reason, h.why, sizeof(h.why), NULL);
  struct blk b;
  if (!dma_reset(g, detail) || !blk_open(g, false, &b, detail)) return false;
  if (!hostile_blk_recovers(&h, &b, false)) {
    add_failure(detail, "the block device does not work to begin with: %s", h.why);
    blk_close(g, &b);
    return false;
  }
  hostile_blk_chains(&h, &b);
  hostile_blk_rings(&h, &b);
  hostile_blk_requests(&h, &b);
  blk_close(g, &b);
  hostile_read_only(&h);
  hostile_rng(&h);
  hostile_console(&h);
  hostile_vsock(&h);
  hostile_net(&h);
  hostile_serial(&h);
  if (h.failed) {
    sink_printf(detail, "%u of %u cases failed (see the hostile: lines)", h.failed, h.failed + h.passed);
    return false;
  }
  sink_printf(detail, "%u cases, the devices kept working after each", h.passed);
  return true;
}
