// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Split virtqueues (VIRTIO 1.2, 2.7) in guest RAM, driven the simple way:
// the caller writes descriptors where it wants them (tests need bad ones
// too), makes heads available, notifies, and polls the used ring with a
// timeout, sleeping in HLT until the device's interrupt or the timer.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "checks.h"
#include "virtio_mmio.h"

// Descriptor flags (2.7.5).
enum { VIRTQ_DESC_F_NEXT = 1, VIRTQ_DESC_F_WRITE = 2, VIRTQ_DESC_F_INDIRECT = 4 };

struct virtq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct virtq_used_elem {
  uint32_t id;
  uint32_t len;
};

// The queue size every driver here asks for (capped by QueueNumMax).
#define VIRTQ_SIZE 16

struct virtq {
  uint16_t index;  // queue number on the device
  uint16_t size;
  volatile struct virtq_desc* desc;
  volatile uint16_t* avail;  // flags, idx, ring[size], used_event
  volatile uint16_t* used;   // flags, idx, then ring of virtq_used_elem
  uint64_t desc_addr, avail_addr, used_addr;
  uint16_t next_avail;  // our copy of avail.idx
  uint16_t used_seen;   // used entries consumed so far
  uint64_t rx_base;     // virtq_post_rx: buffer i at rx_base + i * rx_size
  uint32_t rx_size;
};

// Guest RAM for rings and buffers: a bump allocator over a fixed window
// (layout.h), emptied at the start of every check.
bool dma_reset(const struct guest* g, struct sink* detail);
// `size` bytes aligned to `align` (a power of two), zeroed when asked.
// Never fails for the small amounts the checks use (they stay in the window).
void* dma_alloc(uint64_t size, uint64_t align, bool zero);
static inline uint64_t dma_addr(const void* p) { return (uint64_t)(uintptr_t)p; }

// Allocates and programs queue `index` (QueueSel .. QueueReady, 4.2.3.2);
// false with the reason in `detail`.
bool virtq_setup(struct virtio_dev* d, struct virtq* q, uint16_t index, struct sink* detail);
// Writes descriptor i.
void virtq_set_desc(struct virtq* q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next);

// A buffer of a chain: `writable` ones are device-written.
struct vbuf {
  uint64_t addr;
  uint32_t len;
  bool writable;
};
// Writes bufs as a chain in descriptors first..first+n-1; returns first.
uint16_t virtq_put_chain(struct virtq* q, uint16_t first, const struct vbuf* bufs, unsigned n);
// Writes bufs as an indirect table at `table` and descriptor `slot`
// pointing at it (2.7.5.3); returns slot.
uint16_t virtq_put_indirect(struct virtq* q, uint16_t slot, struct virtq_desc* table, const struct vbuf* bufs,
                            unsigned n);

// Puts head in the next avail ring slot and publishes avail.idx (2.7.13).
void virtq_make_available(struct virtq* q, uint16_t head);
void virtq_notify(const struct virtio_dev* d, const struct virtq* q);
// Writes avail.idx as given, for drivers that lie about it (hostile).
void virtq_set_avail_idx(struct virtq* q, uint16_t idx);

enum virtq_wait {
  VIRTQ_USED,         // an entry was taken
  VIRTQ_TIMEOUT,      // nothing within the time
  VIRTQ_NEEDS_RESET,  // Status has DEVICE_NEEDS_RESET
};
// Takes the next used entry, waiting up to timeout_us.
enum virtq_wait virtq_wait_used(const struct virtio_dev* d, struct virtq* q, uint64_t timeout_us,
                                struct virtq_used_elem* out);
// Whether a used entry is waiting.
bool virtq_has_used(const struct virtq* q);

// Makes `head` available, notifies, and waits for it: VIRTQ_USED only when
// the used entry names that head (else a failure in `detail`).
enum virtq_wait virtq_call_head(const struct virtio_dev* d, struct virtq* q, uint16_t head,
                                uint64_t timeout_us, uint32_t* used_len, struct sink* detail);
// The same for a chain it first writes at descriptor 0.
enum virtq_wait virtq_call(const struct virtio_dev* d, struct virtq* q, const struct vbuf* bufs, unsigned n,
                           uint64_t timeout_us, uint32_t* used_len, struct sink* detail);

// Finds the nth device of `type`, initializes it with `wanted` features,
// sets up queues 0..nqueues-1, sets DRIVER_OK and routes its interrupt.
bool virtio_open(const struct guest* g, uint32_t type, uint64_t wanted, struct virtio_dev* d,
                 struct virtq* queues, unsigned nqueues, struct sink* detail);
// Initializes an opened device again (after DEVICE_NEEDS_RESET): new rings.
bool virtio_restart(struct virtio_dev* d, uint64_t wanted, struct virtq* queues, unsigned nqueues,
                    struct sink* detail);
// Resets the device (it stops touching our memory) and masks its pin.
void virtio_close(const struct guest* g, struct virtio_dev* d);

// Receive buffers: `count` device-writable buffers of `size` bytes, buffer
// i in descriptor i, all made available (count <= queue size).
void virtq_post_rx(const struct virtio_dev* d, struct virtq* q, unsigned count, uint32_t size);
// The next filled receive buffer (NULL on timeout or NEEDS_RESET); give it
// back with virtq_repost_rx(q, id) once read.
uint8_t* virtq_take_rx(const struct virtio_dev* d, struct virtq* q, uint64_t timeout_us, uint32_t* id,
                       uint32_t* len);
void virtq_repost_rx(const struct virtio_dev* d, struct virtq* q, uint32_t id);
