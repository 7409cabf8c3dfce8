// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Chains the device cannot walk or whose buffers it cannot reach (VIRTIO
// 1.2, 2.7.5 and 2.7.5.3 list what a driver MUST NOT do): each read request
// must be completed as refused, and the next correct request must work.
#include "hostile.h"

#define OUTSIDE_RAM (1ull << 40)
#define WRAPPING_ADDR 0xfffffffffffff000ull
#define F_NEXT VIRTQ_DESC_F_NEXT
#define F_WRITE VIRTQ_DESC_F_WRITE
#define F_INDIRECT VIRTQ_DESC_F_INDIRECT

// The pieces every case builds from: a read of sector 1 into `data`.
struct parts {
  uint64_t header, data, status;
};

static struct parts parts_of(struct blk* b) {
  *b->header = (struct blk_header){.type = BLK_T_IN, .sector = 1};
  *b->status = 0xff;
  return (struct parts){dma_addr(b->header), dma_addr(dma_alloc(4096, 16, true)), dma_addr((void*)b->status)};
}

static void run(struct hostile* h, struct blk* b, const char* name, uint16_t head) {
  if (hostile_blk_refused(h, b, head)) hostile_blk_recovers(h, b, false);
  hostile_blk_report(h, b, name);
}

// Descriptor 0 = header, 1 = data (given), 2 = status.
static void data_case(struct hostile* h, struct blk* b, const char* name, uint64_t addr, uint32_t len) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, p.header, 16, F_NEXT, 1);
  virtq_set_desc(&b->q, 1, addr ? addr : p.data, len, F_WRITE | F_NEXT, 2);
  virtq_set_desc(&b->q, 2, p.status, 1, F_WRITE, 0);
  run(h, b, name, 0);
}

static void loop_case(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, p.header, 16, F_NEXT, 1);
  virtq_set_desc(&b->q, 1, p.data, BLK_SECTOR, F_WRITE | F_NEXT, 2);
  virtq_set_desc(&b->q, 2, p.status, 1, F_WRITE | F_NEXT, 1);  // back to 1
  run(h, b, "descriptor loop", 0);
}

static void next_out_of_range(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, p.header, 16, F_NEXT, (uint16_t)(b->q.size + 3));
  run(h, b, "next >= queue size", 0);
}

// An indirect table of size + 1 properly linked entries: a chain longer
// than the queue (2.7.5.3.1: the driver MUST NOT create one).
static void too_long(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  unsigned n = b->q.size + 1u;
  struct virtq_desc* t = dma_alloc(n * sizeof(*t), 16, true);
  for (unsigned i = 0; i < n; i++) {
    uint64_t addr = i == 0 ? p.header : i == n - 1 ? p.status : p.data + (i - 1) * 8;
    uint32_t len = i == 0 ? 16 : i == n - 1 ? 1 : 8;
    t[i] = (struct virtq_desc){addr, len, (uint16_t)((i ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0)),
                               (uint16_t)(i + 1)};
  }
  virtq_set_desc(&b->q, 0, dma_addr(t), n * 16, F_INDIRECT, 0);
  run(h, b, "chain longer than the queue", 0);
}

static struct virtq_desc* table3(struct parts p) {
  struct virtq_desc* t = dma_alloc(3 * sizeof(*t), 16, true);
  t[0] = (struct virtq_desc){p.header, 16, F_NEXT, 1};
  t[1] = (struct virtq_desc){p.data, BLK_SECTOR, F_WRITE | F_NEXT, 2};
  t[2] = (struct virtq_desc){p.status, 1, F_WRITE, 0};
  return t;
}

static void nested_indirect(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  struct virtq_desc* inner = dma_alloc(sizeof(*inner), 16, true);
  *inner = (struct virtq_desc){p.data, BLK_SECTOR, F_WRITE, 0};
  struct virtq_desc* t = table3(p);
  t[1] = (struct virtq_desc){dma_addr(inner), 16, F_INDIRECT | F_NEXT, 2};
  virtq_set_desc(&b->q, 0, dma_addr(t), 48, F_INDIRECT, 0);
  run(h, b, "nested indirect table", 0);
}

static void indirect_with_next(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, dma_addr(table3(p)), 48, F_INDIRECT | F_NEXT, 1);
  virtq_set_desc(&b->q, 1, p.status, 1, F_WRITE, 0);
  run(h, b, "INDIRECT together with NEXT", 0);
}

static void indirect_bad_length(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, dma_addr(table3(p)), 40, F_INDIRECT, 0);
  run(h, b, "indirect length not a multiple of 16", 0);
}

// A zero-length data buffer: any answer is fine as long as the request
// completes (2.7.5 does not forbid it; 5.2.6.1 wants whole sectors).
static void zero_length(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, p.header, 16, F_NEXT, 1);
  virtq_set_desc(&b->q, 1, p.data, 0, F_WRITE | F_NEXT, 2);
  virtq_set_desc(&b->q, 2, p.status, 1, F_WRITE, 0);
  uint32_t len = 0;
  if (virtq_call_head(&b->dev, &b->q, 0, BLK_TIMEOUT_US, &len, &h->reason) == VIRTQ_USED) {
    if (len > 1) add_failure(&h->reason, "used len %u for a request without data", len);
    if (!h->reason.len) hostile_blk_recovers(h, b, false);
  }
  hostile_blk_report(h, b, "zero-length descriptor");
}

// 5.2.6.1: a request that has no status byte still completes.
static void header_only(struct hostile* h, struct blk* b) {
  struct parts p = parts_of(b);
  virtq_set_desc(&b->q, 0, p.header, 16, 0, 0);
  uint32_t len = 0;
  if (virtq_call_head(&b->dev, &b->q, 0, BLK_TIMEOUT_US, &len, &h->reason) == VIRTQ_USED) {
    if (len != 0) add_failure(&h->reason, "used len %u, want 0", len);
    if (!h->reason.len) hostile_blk_recovers(h, b, false);
  }
  hostile_blk_report(h, b, "header-only block request");
}

void hostile_blk_chains(struct hostile* h, struct blk* b) {
  data_case(h, b, "descriptor addr+len wraps 2^64", WRAPPING_ADDR, 0x2000);
  data_case(h, b, "descriptor outside guest RAM", OUTSIDE_RAM, BLK_SECTOR);
  data_case(h, b, "huge (4 GiB-1) descriptor", 0, 0xffffffffu);
  loop_case(h, b);
  too_long(h, b);
  next_out_of_range(h, b);
  nested_indirect(h, b);
  indirect_with_next(h, b);
  indirect_bad_length(h, b);
  zero_length(h, b);
  header_only(h, b);
}
