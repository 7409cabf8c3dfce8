// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "virtio_blk.h"

#include "lib.h"

#define MAX_DATA_BUFS 8

static bool blk_start(struct blk* b, struct sink* detail) {
  if (!virtio_begin_init(&b->dev, BLK_WANTED_FEATURES, detail) || !virtq_setup(&b->dev, &b->q, 0, detail))
    return false;
  virtio_driver_ok(&b->dev);
  b->capacity = virtio_config64(&b->dev, 0);  // struct virtio_blk_config.capacity (5.2.4)
  b->header = dma_alloc(sizeof(*b->header), 16, true);
  b->status = dma_alloc(1, 1, true);
  return true;
}

bool blk_open(const struct guest* g, bool read_only, struct blk* b, struct sink* detail) {
  *b = (struct blk){0};
  for (unsigned nth = 0;; nth++) {
    char scratch[8];
    struct sink quiet;
    sink_init(&quiet, scratch, sizeof(scratch), NULL);
    if (!virtio_find(g, VIRTIO_ID_BLOCK, nth, &b->dev, nth ? &quiet : detail)) {
      if (nth) add_failure(detail, "no %s block device among %u", read_only ? "read-only" : "writable", nth);
      return false;
    }
    if (!blk_start(b, detail)) return false;
    if (!!(b->dev.offered & VIRTIO_BLK_F_RO) == read_only) break;
    virtio_reset(&b->dev);
  }
  virtio_irq_attach(g, &b->dev);
  return true;
}

bool blk_restart(struct blk* b, struct sink* detail) { return blk_start(b, detail); }

void blk_close(const struct guest* g, struct blk* b) {
  virtio_reset(&b->dev);
  virtio_irq_detach(g, &b->dev);
}

static int finish(struct blk* b, enum virtq_wait r, uint32_t len, uint32_t* used_len) {
  if (used_len) *used_len = len;
  return r == VIRTQ_USED ? *b->status : -1;
}

static unsigned chain_of(struct blk* b, uint32_t type, uint64_t sector, const struct vbuf* data, unsigned n,
                         struct vbuf* out) {
  *b->header = (struct blk_header){.type = type, .sector = sector};
  *b->status = 0xff;
  out[0] = (struct vbuf){dma_addr(b->header), sizeof(*b->header), false};
  for (unsigned i = 0; i < n; i++) out[1 + i] = data[i];
  out[1 + n] = (struct vbuf){dma_addr((const void*)b->status), 1, true};
  return n + 2;
}

int blk_request(struct blk* b, uint32_t type, uint64_t sector, const struct vbuf* data, unsigned n,
                uint32_t* used_len, struct sink* detail) {
  struct vbuf bufs[MAX_DATA_BUFS + 2];
  if (n > MAX_DATA_BUFS) return -1;
  unsigned count = chain_of(b, type, sector, data, n, bufs);
  uint32_t len = 0;
  enum virtq_wait r = virtq_call(&b->dev, &b->q, bufs, count, BLK_TIMEOUT_US, &len, detail);
  return finish(b, r, len, used_len);
}

int blk_request_indirect(struct blk* b, uint32_t type, uint64_t sector, const struct vbuf* data, unsigned n,
                         uint32_t* used_len, struct sink* detail) {
  struct vbuf bufs[MAX_DATA_BUFS + 2];
  if (n > MAX_DATA_BUFS) return -1;
  unsigned count = chain_of(b, type, sector, data, n, bufs);
  struct virtq_desc* table = dma_alloc(count * sizeof(struct virtq_desc), 16, false);
  uint16_t head = virtq_put_indirect(&b->q, 0, table, bufs, count);
  uint32_t len = 0;
  enum virtq_wait r = virtq_call_head(&b->dev, &b->q, head, BLK_TIMEOUT_US, &len, detail);
  return finish(b, r, len, used_len);
}

static uint64_t pattern_word(uint64_t sector, unsigned word, uint64_t seed) {
  return seed ^ (sector << 20) ^ ((uint64_t)word * 0x9e3779b97f4a7c15ull);
}

void blk_fill(void* buf, uint64_t first_sector, unsigned sectors, uint64_t seed) {
  uint64_t* w = buf;
  for (unsigned s = 0; s < sectors; s++)
    for (unsigned i = 0; i < BLK_SECTOR / 8; i++) *w++ = pattern_word(first_sector + s, i, seed);
}

int blk_verify(const void* buf, uint64_t first_sector, unsigned sectors, uint64_t seed) {
  const uint64_t* w = buf;
  for (unsigned s = 0; s < sectors; s++)
    for (unsigned i = 0; i < BLK_SECTOR / 8; i++)
      if (*w++ != pattern_word(first_sector + s, i, seed)) return (int)s;
  return -1;
}
