// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// blk: the first writable virtio block device (VIRTIO 1.2, 5.2): capacity,
// writes in one descriptor, across three and through an indirect table,
// read back the same ways and checked, FLUSH, GET_ID, and the interrupt on
// the IOAPIC pin the command line names.
// blk-ro: a device offering VIRTIO_BLK_F_RO serves reads and refuses a
// write (IOERR or UNSUPP) without changing the data (5.2.6.2: a driver
// MUST NOT write to a read-only device; vmm refuses whatever it accepted).
#include "arch.h"
#include "checks.h"
#include "virtio_blk.h"

#define FIRST 1u  // sectors FIRST..FIRST+SPAN-1 are written
#define SPAN 7u
#define MIN_CAPACITY 16u
#define IRQ_WAIT_US 100000

// Takes the used length by pointer: it is read after the request ran.
static bool expect(struct sink* d, int status, const uint32_t* used_len, uint32_t want_used,
                   const char* what) {
  uint32_t used = *used_len;
  if (status == BLK_S_OK && used == want_used) return true;
  if (status >= 0) add_failure(d, "%s: status %d, used len %u (want 0, %u)", what, status, used, want_used);
  if (status < 0) add_failure(d, "%s did not complete", what);
  return false;
}

static void write_all(struct blk* b, uint64_t seed, struct sink* d) {
  uint8_t* data = dma_alloc(SPAN * BLK_SECTOR, 16, false);
  blk_fill(data, FIRST, SPAN, seed);
  uint32_t used = 0;
  // One sector, one descriptor.
  struct vbuf one = {dma_addr(data), BLK_SECTOR, false};
  expect(d, blk_request(b, BLK_T_OUT, FIRST, &one, 1, &used, d), &used, 1, "write of 1 sector");
  // Four sectors in three descriptors that split sectors (256 + 1024 + 768).
  uint64_t at = dma_addr(data) + BLK_SECTOR;
  struct vbuf three[3] = {{at, 256, false}, {at + 256, 1024, false}, {at + 1280, 768, false}};
  expect(d, blk_request(b, BLK_T_OUT, FIRST + 1, three, 3, &used, d), &used, 1, "write in 3 descriptors");
  // Two sectors with the whole chain in an indirect table.
  struct vbuf two = {dma_addr(data) + 5 * BLK_SECTOR, 2 * BLK_SECTOR, false};
  expect(d, blk_request_indirect(b, BLK_T_OUT, FIRST + 5, &two, 1, &used, d), &used, 1, "indirect write");
  // The last sector of the disk.
  blk_fill(data, b->capacity - 1, 1, seed);
  expect(d, blk_request(b, BLK_T_OUT, b->capacity - 1, &one, 1, &used, d), &used, 1,
         "write of the last sector");
}

static void check_read(struct sink* d, const uint8_t* buf, uint64_t sector, unsigned n, uint64_t seed,
                       const char* how) {
  int bad = blk_verify(buf, sector, n, seed);
  if (bad >= 0) add_failure(d, "%s: sector %lu reads back wrong", how, sector + (unsigned)bad);
}

static void read_all(struct blk* b, uint64_t seed, struct sink* d) {
  uint8_t* data = dma_alloc(SPAN * BLK_SECTOR, 16, true);
  uint32_t used = 0;
  struct vbuf all = {dma_addr(data), SPAN * BLK_SECTOR, true};
  if (expect(d, blk_request(b, BLK_T_IN, FIRST, &all, 1, &used, d), &used, SPAN * BLK_SECTOR + 1,
             "read of 7"))
    check_read(d, data, FIRST, SPAN, seed, "one-descriptor read");
  memset(data, 0, SPAN * BLK_SECTOR);
  uint64_t at = dma_addr(data);
  struct vbuf three[3] = {{at, 512, true}, {at + 512, 1536, true}, {at + 2048, 512, true}};
  if (expect(d, blk_request(b, BLK_T_IN, FIRST + 1, three, 3, &used, d), &used, 5 * BLK_SECTOR + 1,
             "read in 3"))
    check_read(d, data, FIRST + 1, 5, seed, "3-descriptor read");
  memset(data, 0, SPAN * BLK_SECTOR);
  struct vbuf two = {at, 2 * BLK_SECTOR, true};
  if (expect(d, blk_request_indirect(b, BLK_T_IN, FIRST + 5, &two, 1, &used, d), &used, 2 * BLK_SECTOR + 1,
             "indirect read"))
    check_read(d, data, FIRST + 5, 2, seed, "indirect read");
  struct vbuf one = {at, BLK_SECTOR, true};
  if (expect(d, blk_request(b, BLK_T_IN, b->capacity - 1, &one, 1, &used, d), &used, BLK_SECTOR + 1, "last"))
    check_read(d, data, b->capacity - 1, 1, seed, "read of the last sector");
}

static void flush_and_id(struct blk* b, struct sink* d, struct sink* info) {
  uint32_t used = 0;
  if (b->dev.negotiated & VIRTIO_BLK_F_FLUSH) {
    expect(d, blk_request(b, BLK_T_FLUSH, 0, NULL, 0, &used, d), &used, 1, "flush");
  } else {
    add_failure(d, "VIRTIO_BLK_F_FLUSH not offered (features %#lx)", b->dev.offered);
  }
  char* id = dma_alloc(BLK_ID_BYTES, 1, true);
  struct vbuf buf = {dma_addr(id), BLK_ID_BYTES, true};
  int s = blk_request(b, BLK_T_GET_ID, 0, &buf, 1, &used, d);
  if (s != BLK_S_OK) {
    add_failure(d, "GET_ID: status %d", s);
    return;
  }
  size_t len = str_nlen(id, BLK_ID_BYTES);
  for (size_t i = 0; i < len; i++)
    if (id[i] < 0x20 || id[i] > 0x7e) len = 0;
  if (len == 0) add_failure(d, "GET_ID: not a printable string");
  sink_printf(info, ", id \"%.*s\"", (int)len, id);
}

bool check_blk(const struct guest* g, struct sink* detail) {
  struct blk b;
  if (!dma_reset(g, detail) || !blk_open(g, false, &b, detail)) return false;
  char buf[128];
  struct sink info;
  sink_init(&info, buf, sizeof(buf), NULL);
  if (b.capacity < MIN_CAPACITY) {
    add_failure(detail, "capacity %lu sectors, want %u or more", b.capacity, MIN_CAPACITY);
  } else {
    uint64_t seed = rdtsc();
    write_all(&b, seed, detail);
    read_all(&b, seed, detail);
    flush_and_id(&b, detail, &info);
  }
  uint32_t irqs = virtio_irq_wait(IRQ_WAIT_US);
  if (b.dev.pin < 0) add_failure(detail, "GSI %u could not be routed through the IOAPIC", b.dev.gsi);
  if (b.dev.pin >= 0 && irqs == 0) add_failure(detail, "no interrupt on IOAPIC pin %d", b.dev.pin);
  blk_close(g, &b);
  if (detail->len) return false;
  sink_printf(detail,
              "device %u at %#lx: %lu sectors, 1/3/indirect-descriptor writes and reads verified, flush%s, "
              "%u interrupts on IOAPIC pin %d",
              b.dev.position, b.dev.base, b.capacity, buf, irqs, b.dev.pin);
  return true;
}

bool check_blk_ro(const struct guest* g, struct sink* detail) {
  struct blk b;
  if (!dma_reset(g, detail) || !blk_open(g, true, &b, detail)) return false;
  uint8_t* before = dma_alloc(2 * BLK_SECTOR, 16, true);
  uint8_t* after = dma_alloc(2 * BLK_SECTOR, 16, true);
  uint8_t* mine = dma_alloc(BLK_SECTOR, 16, false);
  uint32_t used = 0;
  struct vbuf rb = {dma_addr(before), 2 * BLK_SECTOR, true};
  struct vbuf ra = {dma_addr(after), 2 * BLK_SECTOR, true};
  struct vbuf w = {dma_addr(mine), BLK_SECTOR, false};
  int write_status = -1;
  if (expect(detail, blk_request(&b, BLK_T_IN, 0, &rb, 1, &used, detail), &used, 2 * BLK_SECTOR + 1,
             "read")) {
    for (unsigned i = 0; i < BLK_SECTOR; i++) mine[i] = (uint8_t)~before[i];
    write_status = blk_request(&b, BLK_T_OUT, 0, &w, 1, &used, detail);
    if (write_status != BLK_S_IOERR && write_status != BLK_S_UNSUPP)
      add_failure(detail, "write to the read-only disk: status %d, want IOERR (1) or UNSUPP (2)",
                  write_status);
    if (expect(detail, blk_request(&b, BLK_T_IN, 0, &ra, 1, &used, detail), &used, 2 * BLK_SECTOR + 1,
               "re-read") &&
        memcmp(before, after, 2 * BLK_SECTOR) != 0)
      add_failure(detail, "the read-only disk changed after the refused write");
  }
  blk_close(g, &b);
  if (detail->len) return false;
  sink_printf(detail,
              "device %u at %#lx: %lu sectors, VIRTIO_BLK_F_RO, reads ok, write refused with status %d",
              b.dev.position, b.dev.base, b.capacity, write_status);
  return true;
}
