// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "virtqueue.h"

#include "arch.h"
#include "clock.h"
#include "layout.h"

// Ring layout (2.7.6, 2.7.8): avail is flags, idx, ring[size], used_event;
// used is flags, idx, then size 8-byte elements and avail_event.
enum { RING_FLAGS = 0, RING_IDX = 1, RING_ENTRIES = 2 };

static uint64_t dma_next = VIRTIO_DMA_BASE;

bool dma_reset(const struct guest* g, struct sink* detail) {
  dma_next = VIRTIO_DMA_BASE;
  for (unsigned i = 0; i < g->boot.e820_count; i++) {
    const struct e820_entry* e = &g->boot.e820[i];
    if (e->type == E820_RAM && e->addr <= VIRTIO_DMA_BASE &&
        e->addr + e->size >= VIRTIO_DMA_BASE + VIRTIO_DMA_SIZE)
      return true;
  }
  add_failure(detail, "the e820 map has no RAM at %#x-%#x for virtqueues (give the VM 32 MiB or more)",
              VIRTIO_DMA_BASE, VIRTIO_DMA_BASE + VIRTIO_DMA_SIZE - 1);
  return false;
}

void* dma_alloc(uint64_t size, uint64_t align, bool zero) {
  uint64_t addr = (dma_next + align - 1) & ~(align - 1);
  if (addr + size > VIRTIO_DMA_BASE + VIRTIO_DMA_SIZE) addr = VIRTIO_DMA_BASE;  // a bug in a check: wrap
  dma_next = addr + size;
  void* p = phys_ptr(addr);
  if (zero) memset(p, 0, size);
  return p;
}

bool virtq_setup(struct virtio_dev* d, struct virtq* q, uint16_t index, struct sink* detail) {
  virtio_write(d, VIRTIO_MMIO_QUEUE_SEL, index);
  if (virtio_read(d, VIRTIO_MMIO_QUEUE_READY) != 0) {
    add_failure(detail, "queue %u of the device at %#lx is ready before setup", index, d->base);
    return false;
  }
  uint32_t max = virtio_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
  if (max < 2) {
    add_failure(detail, "queue %u of the device at %#lx: QueueNumMax %u", index, d->base, max);
    return false;
  }
  uint16_t size = max < VIRTQ_SIZE ? (uint16_t)max : VIRTQ_SIZE;
  while (size & (size - 1)) size &= (uint16_t)(size - 1);  // a power of two (2.7)
  // One zeroed page per queue: descriptors at 0, avail at 0x400, used at 0x800.
  uint8_t* page = dma_alloc(4096, 4096, true);
  *q = (struct virtq){.index = index, .size = size};
  q->desc = (volatile struct virtq_desc*)page;
  q->avail = (volatile uint16_t*)(page + 0x400);
  q->used = (volatile uint16_t*)(page + 0x800);
  q->desc_addr = dma_addr(page);
  q->avail_addr = q->desc_addr + 0x400;
  q->used_addr = q->desc_addr + 0x800;
  virtio_write(d, VIRTIO_MMIO_QUEUE_NUM, size);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)q->desc_addr);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(q->desc_addr >> 32));
  virtio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)q->avail_addr);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail_addr >> 32));
  virtio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)q->used_addr);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(q->used_addr >> 32));
  virtio_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
  if (virtio_read(d, VIRTIO_MMIO_QUEUE_READY) != 1) {
    add_failure(detail, "queue %u (size %u) of the device at %#lx did not become ready", index, size,
                d->base);
    return false;
  }
  return true;
}

void virtq_set_desc(struct virtq* q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
  volatile struct virtq_desc* desc = &q->desc[i % q->size];
  desc->addr = addr;
  desc->len = len;
  desc->flags = flags;
  desc->next = next;
}

static void fill_table(volatile struct virtq_desc* table, const struct vbuf* bufs, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    uint16_t flags =
        (uint16_t)((bufs[i].writable ? VIRTQ_DESC_F_WRITE : 0) | (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
    table[i] = (struct virtq_desc){
        .addr = bufs[i].addr, .len = bufs[i].len, .flags = flags, .next = (uint16_t)(i + 1)};
  }
}

uint16_t virtq_put_chain(struct virtq* q, uint16_t first, const struct vbuf* bufs, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    uint16_t at = (uint16_t)((first + i) % q->size);
    uint16_t flags =
        (uint16_t)((bufs[i].writable ? VIRTQ_DESC_F_WRITE : 0) | (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
    virtq_set_desc(q, at, bufs[i].addr, bufs[i].len, flags, (uint16_t)((at + 1) % q->size));
  }
  return first;
}

uint16_t virtq_put_indirect(struct virtq* q, uint16_t slot, struct virtq_desc* table, const struct vbuf* bufs,
                            unsigned n) {
  fill_table(table, bufs, n);
  virtq_set_desc(q, slot, dma_addr(table), (uint32_t)(n * sizeof(struct virtq_desc)), VIRTQ_DESC_F_INDIRECT,
                 0);
  return slot;
}

void virtq_make_available(struct virtq* q, uint16_t head) {
  q->avail[RING_ENTRIES + q->next_avail % q->size] = head;
  barrier();  // the ring entry before the index (2.7.13.2); x86 keeps stores in order
  q->avail[RING_IDX] = ++q->next_avail;
  barrier();
}

void virtq_set_avail_idx(struct virtq* q, uint16_t idx) {
  q->avail[RING_IDX] = idx;
  barrier();
}

void virtq_notify(const struct virtio_dev* d, const struct virtq* q) {
  virtio_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, q->index);
}

bool virtq_has_used(const struct virtq* q) { return q->used[RING_IDX] != q->used_seen; }

struct wait_arg {
  const struct virtio_dev* d;
  const struct virtq* q;
};

static bool used_or_broken(void* arg) {
  const struct wait_arg* w = arg;
  return virtq_has_used(w->q) || (virtio_status(w->d) & VIRTIO_STATUS_NEEDS_RESET);
}

enum virtq_wait virtq_wait_used(const struct virtio_dev* d, struct virtq* q, uint64_t timeout_us,
                                struct virtq_used_elem* out) {
  struct wait_arg w = {d, q};
  if (!used_or_broken(&w) && !wait_until(used_or_broken, &w, timeout_us)) return VIRTQ_TIMEOUT;
  if (!virtq_has_used(q)) return VIRTQ_NEEDS_RESET;
  barrier();  // the index before the entry (2.7.14)
  const volatile struct virtq_used_elem* ring =
      (const volatile struct virtq_used_elem*)(q->used + RING_ENTRIES);
  out->id = ring[q->used_seen % q->size].id;
  out->len = ring[q->used_seen % q->size].len;
  q->used_seen++;
  return VIRTQ_USED;
}

enum virtq_wait virtq_call_head(const struct virtio_dev* d, struct virtq* q, uint16_t head,
                                uint64_t timeout_us, uint32_t* used_len, struct sink* detail) {
  virtq_make_available(q, head);
  virtq_notify(d, q);
  struct virtq_used_elem e;
  enum virtq_wait r = virtq_wait_used(d, q, timeout_us, &e);
  if (r == VIRTQ_TIMEOUT)
    add_failure(detail, "queue %u: no used entry within %lu ms", q->index, timeout_us / 1000);
  if (r == VIRTQ_NEEDS_RESET) add_failure(detail, "queue %u: device set DEVICE_NEEDS_RESET", q->index);
  if (r != VIRTQ_USED) return r;
  if (e.id != head) {
    add_failure(detail, "queue %u: used entry names head %u, want %u", q->index, e.id, head);
    return VIRTQ_TIMEOUT;
  }
  *used_len = e.len;
  return VIRTQ_USED;
}

enum virtq_wait virtq_call(const struct virtio_dev* d, struct virtq* q, const struct vbuf* bufs, unsigned n,
                           uint64_t timeout_us, uint32_t* used_len, struct sink* detail) {
  return virtq_call_head(d, q, virtq_put_chain(q, 0, bufs, n), timeout_us, used_len, detail);
}

bool virtio_restart(struct virtio_dev* d, uint64_t wanted, struct virtq* queues, unsigned nqueues,
                    struct sink* detail) {
  if (!virtio_begin_init(d, wanted, detail)) return false;
  for (unsigned i = 0; i < nqueues; i++)
    if (!virtq_setup(d, &queues[i], (uint16_t)i, detail)) return false;
  virtio_driver_ok(d);
  return true;
}

bool virtio_open(const struct guest* g, uint32_t type, uint64_t wanted, struct virtio_dev* d,
                 struct virtq* queues, unsigned nqueues, struct sink* detail) {
  if (!virtio_find(g, type, 0, d, detail) || !virtio_restart(d, wanted, queues, nqueues, detail))
    return false;
  virtio_irq_attach(g, d);
  return true;
}

void virtio_close(const struct guest* g, struct virtio_dev* d) {
  virtio_reset(d);
  virtio_irq_detach(g, d);
}

void virtq_post_rx(const struct virtio_dev* d, struct virtq* q, unsigned count, uint32_t size) {
  if (count > q->size) count = q->size;
  q->rx_size = size;
  q->rx_base = dma_addr(dma_alloc((uint64_t)count * size, 16, true));
  for (unsigned i = 0; i < count; i++) {
    virtq_set_desc(q, (uint16_t)i, q->rx_base + (uint64_t)i * size, size, VIRTQ_DESC_F_WRITE, 0);
    virtq_make_available(q, (uint16_t)i);
  }
  virtq_notify(d, q);
}

uint8_t* virtq_take_rx(const struct virtio_dev* d, struct virtq* q, uint64_t timeout_us, uint32_t* id,
                       uint32_t* len) {
  struct virtq_used_elem e;
  if (virtq_wait_used(d, q, timeout_us, &e) != VIRTQ_USED) return NULL;
  *id = e.id % q->size;
  *len = e.len <= q->rx_size ? e.len : q->rx_size;
  return phys_ptr(q->rx_base + (uint64_t)*id * q->rx_size);
}

void virtq_repost_rx(const struct virtio_dev* d, struct virtq* q, uint32_t id) {
  virtq_make_available(q, (uint16_t)(id % q->size));
  virtq_notify(d, q);
}
