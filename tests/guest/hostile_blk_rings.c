// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Ring-level breakage and transport registers misused (VIRTIO 1.2, 2.7.13,
// 4.2.2, 4.2.3.2), and block requests the device must refuse (5.2.6).
#include "clock.h"
#include "hostile.h"

#define NEEDS_RESET_WAIT_US 1000000
#define TWICE_WAIT_US 1000000
#define SECOND_ENTRY_WAIT_US 100000

static bool needs_reset(void* arg) { return virtio_status(arg) & VIRTIO_STATUS_NEEDS_RESET; }

static void expect_needs_reset(struct hostile* h, struct blk* b, const char* name) {
  virtq_notify(&b->dev, &b->q);
  if (!wait_until(needs_reset, &b->dev, NEEDS_RESET_WAIT_US)) {
    add_failure(&h->reason, "Status %#x: no DEVICE_NEEDS_RESET (0x40) within %u ms", virtio_status(&b->dev),
                NEEDS_RESET_WAIT_US / 1000);
  } else {
    hostile_blk_recovers(h, b, true);
  }
  hostile_blk_report(h, b, name);
}

static void read_chain(struct blk* b) {
  *b->header = (struct blk_header){.type = BLK_T_IN, .sector = 1};
  struct vbuf bufs[3] = {{dma_addr(b->header), 16, false},
                         {dma_addr(dma_alloc(BLK_SECTOR, 16, true)), BLK_SECTOR, true},
                         {dma_addr((void*)b->status), 1, true}};
  virtq_put_chain(&b->q, 0, bufs, 3);
}

static void avail_too_far(struct hostile* h, struct blk* b) {
  read_chain(b);
  virtq_set_avail_idx(&b->q, (uint16_t)(b->q.next_avail + b->q.size + 1));
  expect_needs_reset(h, b, "avail.idx more than queue size ahead");
}

static void head_out_of_range(struct hostile* h, struct blk* b) {
  virtq_make_available(&b->q, (uint16_t)(b->q.size + 5));
  expect_needs_reset(h, b, "head index >= queue size");
}

// The same head twice while in flight: the device may serve it twice or
// declare the ring broken; it must not hang or crash.
static void head_twice(struct hostile* h, struct blk* b) {
  read_chain(b);
  virtq_make_available(&b->q, 0);
  virtq_make_available(&b->q, 0);
  virtq_notify(&b->dev, &b->q);
  struct virtq_used_elem e;
  enum virtq_wait r = virtq_wait_used(&b->dev, &b->q, TWICE_WAIT_US, &e);
  if (r == VIRTQ_TIMEOUT) add_failure(&h->reason, "neither a used entry nor NEEDS_RESET within 1 s");
  if (r == VIRTQ_USED)
    (void)virtq_wait_used(&b->dev, &b->q, SECOND_ENTRY_WAIT_US, &e);  // a second one may come
  if (r != VIRTQ_TIMEOUT) hostile_blk_recovers(h, b, true);
  hostile_blk_report(h, b, "same head available twice while in flight");
}

// 4.2.2: queue registers after DRIVER_OK; vmm ignores them and keeps the
// ring it activated.
static void registers_after_driver_ok(struct hostile* h, struct blk* b) {
  uint64_t* decoy = dma_alloc(4096, 4096, true);
  uint64_t at = dma_addr(decoy);
  struct virtio_dev* d = &b->dev;
  virtio_write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
  virtio_write(d, VIRTIO_MMIO_QUEUE_NUM, 2);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)at);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)at + 0x400);
  virtio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)at + 0x800);
  virtio_write(d, VIRTIO_MMIO_QUEUE_READY, 0);
  if (hostile_blk_recovers(h, b, false)) {
    uint32_t ready = virtio_read(d, VIRTIO_MMIO_QUEUE_READY);
    if (ready != 1) add_failure(&h->reason, "QueueReady reads %u", ready);
    for (unsigned i = 0; i < 512; i++)
      if (decoy[i]) {
        add_failure(&h->reason, "the device wrote into the ring given after DRIVER_OK");
        break;
      }
  }
  hostile_blk_report(h, b, "queue registers written after DRIVER_OK");
}

// 4.2.3.2 / 2.7: QueueNum must be a power of two no larger than the
// maximum; QueueReady=1 with any other size must not take.
static void bad_queue_num(struct hostile* h, struct blk* b, uint32_t num, const char* name) {
  struct virtio_dev* d = &b->dev;
  if (virtio_begin_init(d, BLK_WANTED_FEATURES, &h->reason)) {
    uint64_t page = dma_addr(dma_alloc(4096, 4096, true));
    virtio_write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
    virtio_write(d, VIRTIO_MMIO_QUEUE_NUM, num);
    virtio_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)page);
    virtio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)page + 0x400);
    virtio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)page + 0x800);
    virtio_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
    uint32_t ready = virtio_read(d, VIRTIO_MMIO_QUEUE_READY);
    if (ready != 0) add_failure(&h->reason, "QueueReady reads %u after QueueNum %u", ready, num);
  }
  if (blk_restart(b, &h->reason)) hostile_blk_recovers(h, b, false);
  hostile_blk_report(h, b, name);
}

// CVE-2011-2512 class: a notify for a queue the device does not have.
static void notify_missing_queue(struct hostile* h, struct blk* b) {
  static const uint32_t bad[] = {1, 7, 0xffff, 0xffffffffu};
  for (unsigned i = 0; i < 4; i++) virtio_write(&b->dev, VIRTIO_MMIO_QUEUE_NOTIFY, bad[i]);
  hostile_blk_recovers(h, b, false);
  hostile_blk_report(h, b, "notify of a non-existent queue index");
}

void hostile_blk_rings(struct hostile* h, struct blk* b) {
  avail_too_far(h, b);
  head_out_of_range(h, b);
  head_twice(h, b);
  registers_after_driver_ok(h, b);
  bad_queue_num(h, b, 0, "QueueNum 0");
  bad_queue_num(h, b, 3, "QueueNum not a power of two");
  notify_missing_queue(h, b);
}

// 5.2.6.2 (device): a request beyond the capacity fails with IOERR; so
// must one whose byte offset overflows 64 bits.
static void refused_read(struct hostile* h, struct blk* b, uint64_t sector, unsigned sectors,
                         const char* name) {
  struct vbuf data = {dma_addr(dma_alloc(sectors * BLK_SECTOR, 16, true)), sectors * BLK_SECTOR, true};
  uint32_t used = 0;
  int s = blk_request(b, BLK_T_IN, sector, &data, 1, &used, &h->reason);
  if (s >= 0 && s != BLK_S_IOERR) add_failure(&h->reason, "sector %#lx: status %d, want IOERR", sector, s);
  if (s == BLK_S_IOERR && used != 1) add_failure(&h->reason, "used len %u with IOERR, want 1", used);
  if (!h->reason.len) hostile_blk_recovers(h, b, false);
  hostile_blk_report(h, b, name);
}

void hostile_blk_requests(struct hostile* h, struct blk* b) {
  refused_read(h, b, 1ull << 55, 1, "block sector*512 overflows 2^64");
  refused_read(h, b, ~0ull, 1, "block sector 2^64-1");
  refused_read(h, b, b->capacity, 1, "block read past capacity");
  refused_read(h, b, b->capacity - 1, 2, "block read running past capacity");
}
