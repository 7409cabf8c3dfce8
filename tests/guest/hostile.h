// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The hostile check's cases: a driver that breaks the rules on purpose.
// What vmm's devices promise (docs/virtio-devices.md, the device error
// contract): ring-level breakage (avail.idx too far ahead, a head index
// beyond the queue) sets DEVICE_NEEDS_RESET (VIRTIO 1.2, 2.1.2); a chain
// that cannot be walked or has buffers outside RAM is completed with used
// len 0 (the block device writes VIRTIO_BLK_S_IOERR into the status byte
// when it can, used len 1); either way a later correct request works,
// after a reset in the first case.
#pragma once

#include "checks.h"
#include "virtio_blk.h"

struct hostile {
  const struct guest* g;
  unsigned passed, failed;
  char why[160];
  struct sink reason;  // a case writes why it failed here
};

// Prints "hostile: <name>: ok" or "... FAILED (<reason>)" and counts it.
void hostile_report(struct hostile* h, const char* name);
// hostile_report, then a reset and re-initialization when the device is
// left in DEVICE_NEEDS_RESET, so one failed case does not fail the next.
void hostile_blk_report(struct hostile* h, struct blk* b, const char* name);
// Prints "hostile: <name>: skipped (<why>)"; not counted.
void hostile_skip(const char* name, const char* why);

// A correct block request (write, read back, verify) after a case; resets
// and re-initializes the device first when it reports NEEDS_RESET and
// `reset_allowed`. False with the reason in h->reason.
bool hostile_blk_recovers(struct hostile* h, struct blk* b, bool reset_allowed);
// Waits for the completion of `head` after making it available: used len 0,
// or (when `status` is the chain's status byte) used len 1 with IOERR.
bool hostile_blk_refused(struct hostile* h, struct blk* b, uint16_t head);

void hostile_blk_chains(struct hostile* h, struct blk* b);
void hostile_blk_rings(struct hostile* h, struct blk* b);
void hostile_blk_requests(struct hostile* h, struct blk* b);
void hostile_read_only(struct hostile* h);
void hostile_rng(struct hostile* h);
void hostile_console(struct hostile* h);
void hostile_vsock(struct hostile* h);
void hostile_net(struct hostile* h);
void hostile_serial(struct hostile* h);
