// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A virtio network driver for the checks (VIRTIO 1.2, 5.1): receiveq1 is
// queue 0, transmitq1 queue 1; every frame is preceded by the 12-byte
// struct virtio_net_hdr (5.1.6, VERSION_1 layout with num_buffers), all
// zero on transmit (no offloads negotiated).
#pragma once

#include "virtqueue.h"

enum { NET_RX = 0, NET_TX = 1 };
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define VIRTIO_NET_S_LINK_UP 1
#define NET_HDR_BYTES 12
#define NET_RX_BUFFER 2048  // >= 1526 without MRG_RXBUF or GSO (5.1.6.3.1)
#define NET_FRAME_MAX (NET_RX_BUFFER - NET_HDR_BYTES)

struct net {
  struct virtio_dev dev;
  struct virtq q[2];
  uint8_t mac[6];
  uint16_t status;  // config status (LINK_UP), when VIRTIO_NET_F_STATUS
};

bool net_open(const struct guest* g, struct net* n, struct sink* detail);
// Sends an Ethernet frame (without FCS) behind a zeroed header.
bool net_send(struct net* n, const void* frame, uint32_t len, struct sink* detail);
// The next received frame copied to `frame` (NET_FRAME_MAX bytes), its
// length in *len; false on timeout. A header with num_buffers != 1 or
// nonzero flags is a failure in `detail`.
bool net_recv(struct net* n, uint64_t timeout_us, uint8_t* frame, uint32_t* len, struct sink* detail);
