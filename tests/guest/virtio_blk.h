// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A virtio block driver for the checks (VIRTIO 1.2, 5.2): one request
// queue, requests of header + data + status byte (5.2.6).
#pragma once

#include "virtqueue.h"

#define BLK_SECTOR 512u
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
// What the driver accepts when offered.
#define BLK_WANTED_FEATURES (VIRTIO_F_INDIRECT_DESC | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH)

enum blk_type { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };
enum blk_status { BLK_S_OK = 0, BLK_S_IOERR = 1, BLK_S_UNSUPP = 2 };
#define BLK_ID_BYTES 20
#define BLK_TIMEOUT_US 2000000

struct blk_header {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

struct blk {
  struct virtio_dev dev;
  struct virtq q;
  uint64_t capacity;  // sectors, from the config space
  struct blk_header* header;
  volatile uint8_t* status;
};

// Opens the first block device whose VIRTIO_BLK_F_RO offer equals
// `read_only`: initialized, queue 0 ready, DRIVER_OK, interrupt routed.
bool blk_open(const struct guest* g, bool read_only, struct blk* b, struct sink* detail);
// Reset and initialize again (after DEVICE_NEEDS_RESET); a new ring.
bool blk_restart(struct blk* b, struct sink* detail);
void blk_close(const struct guest* g, struct blk* b);

// The header, the data buffers, the status byte: returns the status byte
// (0xff when the device left it alone), or -1 with a failure in `detail`
// when the request did not complete. `used_len` may be NULL.
int blk_request(struct blk* b, uint32_t type, uint64_t sector, const struct vbuf* data, unsigned n,
                uint32_t* used_len, struct sink* detail);
// The same with the whole chain in one indirect table (2.7.5.3).
int blk_request_indirect(struct blk* b, uint32_t type, uint64_t sector, const struct vbuf* data, unsigned n,
                         uint32_t* used_len, struct sink* detail);

// 512-byte sectors with a pattern naming the sector and a seed.
void blk_fill(void* buf, uint64_t first_sector, unsigned sectors, uint64_t seed);
// The first sector that does not match, or -1.
int blk_verify(const void* buf, uint64_t first_sector, unsigned sectors, uint64_t seed);
