// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "virtio_net.h"

#include "lib.h"

#define RX_BUFFERS 8
#define TX_TIMEOUT_US 2000000

bool net_open(const struct guest* g, struct net* n, struct sink* detail) {
  if (!virtio_open(g, VIRTIO_ID_NET, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS, &n->dev, n->q, 2, detail))
    return false;
  if (!(n->dev.negotiated & VIRTIO_NET_F_MAC)) {
    add_failure(detail, "VIRTIO_NET_F_MAC not offered (features %#lx)", n->dev.offered);
    return false;
  }
  for (unsigned i = 0; i < 6; i++) n->mac[i] = virtio_config8(&n->dev, i);  // struct virtio_net_config.mac
  n->status = VIRTIO_NET_S_LINK_UP;
  if (n->dev.negotiated & VIRTIO_NET_F_STATUS)
    n->status = (uint16_t)(virtio_config8(&n->dev, 6) | virtio_config8(&n->dev, 7) << 8);
  virtq_post_rx(&n->dev, &n->q[NET_RX], RX_BUFFERS, NET_RX_BUFFER);
  return true;
}

bool net_send(struct net* n, const void* frame, uint32_t len, struct sink* detail) {
  uint8_t* buf = dma_alloc(NET_HDR_BYTES + len, 16, false);
  memset(buf, 0, NET_HDR_BYTES);
  memcpy(buf + NET_HDR_BYTES, frame, len);
  struct vbuf b = {dma_addr(buf), NET_HDR_BYTES + len, false};
  uint32_t used = 0;
  return virtq_call(&n->dev, &n->q[NET_TX], &b, 1, TX_TIMEOUT_US, &used, detail) == VIRTQ_USED;
}

bool net_recv(struct net* n, uint64_t timeout_us, uint8_t* frame, uint32_t* len, struct sink* detail) {
  uint32_t id, got;
  const uint8_t* buf = virtq_take_rx(&n->dev, &n->q[NET_RX], timeout_us, &id, &got);
  if (!buf) return false;
  uint16_t num_buffers = (uint16_t)(buf[10] | buf[11] << 8);
  if (got < NET_HDR_BYTES) {
    add_failure(detail, "received %u bytes, shorter than the header", got);
    got = NET_HDR_BYTES;
  } else if (num_buffers != 1 || buf[0] != 0 || buf[1] != 0) {
    add_failure(detail, "received header flags %#x gso %#x num_buffers %u, want 0, 0, 1", buf[0], buf[1],
                num_buffers);
  }
  *len = got - NET_HDR_BYTES;
  memcpy(frame, buf + NET_HDR_BYTES, *len);
  virtq_repost_rx(&n->dev, &n->q[NET_RX], id);
  return true;
}
