// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A virtio socket driver for the checks (VIRTIO 1.2, 5.10): stream
// connections to and from the host (CID 2), with the credit fields of
// 5.10.6.3 kept honestly: our buf_alloc and fwd_cnt in every header, the
// peer's remembered from every header it sends.
#pragma once

#include "virtqueue.h"

enum { VSOCK_RX = 0, VSOCK_TX = 1, VSOCK_EVENT = 2 };
enum vsock_op {
  VSOCK_OP_REQUEST = 1,
  VSOCK_OP_RESPONSE = 2,
  VSOCK_OP_RST = 3,
  VSOCK_OP_SHUTDOWN = 4,
  VSOCK_OP_RW = 5,
  VSOCK_OP_CREDIT_UPDATE = 6,
  VSOCK_OP_CREDIT_REQUEST = 7,
};
#define VSOCK_TYPE_STREAM 1
#define VSOCK_SHUTDOWN_BOTH 3  // RCV | SEND
#define VSOCK_HOST_CID 2
#define VSOCK_BUF_ALLOC 65536u  // what we advertise per connection
#define VSOCK_PAYLOAD_MAX 4096u

struct vsock_hdr {
  uint64_t src_cid, dst_cid;
  uint32_t src_port, dst_port, len;
  uint16_t type, op;
  uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

struct vsock {
  struct virtio_dev dev;
  struct virtq q[3];
  uint64_t guest_cid;
  // A REQUEST from the host that arrived while another connection was
  // being served; vsock_accept takes it first.
  struct vsock_hdr pending_request;
  bool has_pending_request;
};

struct vsock_conn {
  uint32_t local_port, peer_port;
  uint32_t fwd_cnt;  // payload bytes we took in
  uint32_t tx_cnt;   // payload bytes we sent
  uint32_t peer_buf_alloc, peer_fwd_cnt;
  bool peer_header_seen;
};

struct vsock_packet {
  struct vsock_hdr hdr;
  uint8_t data[VSOCK_PAYLOAD_MAX];
  uint32_t data_len;  // payload bytes actually in the buffer
};

bool vsock_open(const struct guest* g, struct vsock* v, struct sink* detail);
// Sends one packet on the connection; `claimed_len` is hdr.len (normally
// len; the hostile check lies).
bool vsock_send(struct vsock* v, struct vsock_conn* c, uint16_t op, uint32_t flags, const void* data,
                uint32_t len, uint32_t claimed_len, struct sink* detail);
// The next packet (any connection) within timeout_us; false on timeout.
bool vsock_recv(struct vsock* v, uint64_t timeout_us, struct vsock_packet* p);
// The next packet for `c` with op `want`, answering CREDIT_REQUESTs and
// noting credit on the way; other packets of `c` (and RST unless wanted)
// are failures. Takes RW payload into the connection's fwd_cnt.
bool vsock_expect(struct vsock* v, struct vsock_conn* c, uint16_t want, uint64_t timeout_us,
                  struct vsock_packet* p, struct sink* detail);
// Guest-initiated connection to the host's `port`: REQUEST, RESPONSE.
bool vsock_connect(struct vsock* v, struct vsock_conn* c, uint32_t port, struct sink* detail);
// Waits for the host's REQUEST to guest `port` and answers RESPONSE.
bool vsock_accept(struct vsock* v, struct vsock_conn* c, uint32_t port, uint64_t timeout_us,
                  struct sink* detail);
// SHUTDOWN (both directions), then the peer's RST (5.10.6.6).
bool vsock_close(struct vsock* v, struct vsock_conn* c, struct sink* detail);
// Sends `text` on a connected stream and expects the same bytes back.
bool vsock_echo(struct vsock* v, struct vsock_conn* c, const char* text, struct sink* detail);
