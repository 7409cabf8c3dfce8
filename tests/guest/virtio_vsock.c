// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "virtio_vsock.h"

#include "clock.h"

#define RX_BUFFERS 8
#define EVENT_BUFFERS 4
#define EVENT_SIZE 8  // struct virtio_vsock_event (5.10.6.9)
#define TX_TIMEOUT_US 2000000
#define CONNECT_TIMEOUT_US 3000000
#define CLOSE_TIMEOUT_US 2000000
#define FIRST_LOCAL_PORT 49152u

bool vsock_open(const struct guest* g, struct vsock* v, struct sink* detail) {
  *v = (struct vsock){0};
  if (!virtio_open(g, VIRTIO_ID_VSOCK, 0, &v->dev, v->q, 3, detail)) return false;
  v->guest_cid = virtio_config64(&v->dev, 0);  // struct virtio_vsock_config.guest_cid (5.10.4)
  virtq_post_rx(&v->dev, &v->q[VSOCK_RX], RX_BUFFERS, sizeof(struct vsock_hdr) + VSOCK_PAYLOAD_MAX);
  virtq_post_rx(&v->dev, &v->q[VSOCK_EVENT], EVENT_BUFFERS, EVENT_SIZE);  // 5.10.6.1: fill it
  return true;
}

bool vsock_send(struct vsock* v, struct vsock_conn* c, uint16_t op, uint32_t flags, const void* data,
                uint32_t len, uint32_t claimed_len, struct sink* detail) {
  struct vsock_hdr* h = dma_alloc(sizeof(*h) + len, 16, false);
  *h = (struct vsock_hdr){
      .src_cid = v->guest_cid,
      .dst_cid = VSOCK_HOST_CID,
      .src_port = c->local_port,
      .dst_port = c->peer_port,
      .len = claimed_len,
      .type = VSOCK_TYPE_STREAM,
      .op = op,
      .flags = flags,
      .buf_alloc = VSOCK_BUF_ALLOC,
      .fwd_cnt = c->fwd_cnt,
  };
  memcpy(h + 1, data, len);
  // Header and payload in separate descriptors, as Linux sends them.
  struct vbuf bufs[2] = {{dma_addr(h), sizeof(*h), false}, {dma_addr(h + 1), len, false}};
  uint32_t used = 0;
  if (virtq_call(&v->dev, &v->q[VSOCK_TX], bufs, len ? 2 : 1, TX_TIMEOUT_US, &used, detail) != VIRTQ_USED)
    return false;
  if (op == VSOCK_OP_RW) c->tx_cnt += len;
  return true;
}

bool vsock_recv(struct vsock* v, uint64_t timeout_us, struct vsock_packet* p) {
  uint32_t id, len;
  const uint8_t* buf = virtq_take_rx(&v->dev, &v->q[VSOCK_RX], timeout_us, &id, &len);
  if (!buf) return false;
  memset(&p->hdr, 0, sizeof(p->hdr));
  memcpy(&p->hdr, buf, len < sizeof(p->hdr) ? len : sizeof(p->hdr));
  p->data_len = len > sizeof(p->hdr) ? len - (uint32_t)sizeof(p->hdr) : 0;
  memcpy(p->data, buf + sizeof(p->hdr), p->data_len);
  virtq_repost_rx(&v->dev, &v->q[VSOCK_RX], id);
  return true;
}

static bool is_for(const struct vsock* v, const struct vsock_conn* c, const struct vsock_hdr* h) {
  return h->src_cid == VSOCK_HOST_CID && h->dst_cid == v->guest_cid && h->src_port == c->peer_port &&
         h->dst_port == c->local_port;
}

static const char* op_name(uint16_t op) {
  static const char* const names[] = {"INVALID",  "REQUEST", "RESPONSE",      "RST",
                                      "SHUTDOWN", "RW",      "CREDIT_UPDATE", "CREDIT_REQUEST"};
  return op < 8 ? names[op] : "unknown";
}

bool vsock_expect(struct vsock* v, struct vsock_conn* c, uint16_t want, uint64_t timeout_us,
                  struct vsock_packet* p, struct sink* detail) {
  uint64_t deadline = clock_us() + timeout_us;
  for (uint64_t now = clock_us(); now < deadline; now = clock_us()) {
    if (!vsock_recv(v, deadline - now, p)) break;
    if (p->hdr.op == VSOCK_OP_REQUEST && p->hdr.src_cid == VSOCK_HOST_CID) {
      v->pending_request = p->hdr;
      v->has_pending_request = true;
    }
    if (!is_for(v, c, &p->hdr)) continue;  // another connection's packet
    c->peer_buf_alloc = p->hdr.buf_alloc;
    c->peer_fwd_cnt = p->hdr.fwd_cnt;
    c->peer_header_seen = true;
    if (p->hdr.op == VSOCK_OP_RW) {
      if (p->hdr.len != p->data_len)
        add_failure(detail, "RW header len %u, %u payload bytes", p->hdr.len, p->data_len);
      c->fwd_cnt += p->data_len;
    }
    if (p->hdr.op == want) return true;
    if (p->hdr.op == VSOCK_OP_CREDIT_REQUEST) {
      if (!vsock_send(v, c, VSOCK_OP_CREDIT_UPDATE, 0, NULL, 0, 0, detail)) return false;
    } else if (p->hdr.op != VSOCK_OP_CREDIT_UPDATE &&
               !(want == VSOCK_OP_RST && p->hdr.op == VSOCK_OP_SHUTDOWN)) {
      add_failure(detail, "port %u: got %s while waiting for %s", c->local_port, op_name(p->hdr.op),
                  op_name(want));
      return false;
    }
  }
  add_failure(detail, "port %u: no %s within %lu ms", c->local_port, op_name(want), timeout_us / 1000);
  return false;
}

bool vsock_connect(struct vsock* v, struct vsock_conn* c, uint32_t port, struct sink* detail) {
  static uint32_t next_port = FIRST_LOCAL_PORT;
  *c = (struct vsock_conn){.local_port = next_port++, .peer_port = port};
  static struct vsock_packet p;
  if (!vsock_send(v, c, VSOCK_OP_REQUEST, 0, NULL, 0, 0, detail) ||
      !vsock_expect(v, c, VSOCK_OP_RESPONSE, CONNECT_TIMEOUT_US, &p, detail))
    return false;
  if (p.hdr.buf_alloc == 0) add_failure(detail, "RESPONSE from port %u advertises buf_alloc 0", port);
  return p.hdr.buf_alloc != 0;
}

bool vsock_accept(struct vsock* v, struct vsock_conn* c, uint32_t port, uint64_t timeout_us,
                  struct sink* detail) {
  static struct vsock_packet p;
  *c = (struct vsock_conn){.local_port = port};
  uint64_t deadline = clock_us() + timeout_us;
  for (;;) {
    if (v->has_pending_request) {
      p.hdr = v->pending_request;
      v->has_pending_request = false;
    } else {
      uint64_t now = clock_us();
      if (now >= deadline || !vsock_recv(v, deadline - now, &p)) break;
    }
    const struct vsock_hdr* h = &p.hdr;
    if (h->op != VSOCK_OP_REQUEST || h->dst_port != port) continue;
    if (h->src_cid != VSOCK_HOST_CID || h->dst_cid != v->guest_cid || h->type != VSOCK_TYPE_STREAM) {
      add_failure(detail, "REQUEST to port %u from cid %lu to cid %lu type %u", port, h->src_cid, h->dst_cid,
                  h->type);
      return false;
    }
    c->peer_port = h->src_port;
    c->peer_buf_alloc = h->buf_alloc;
    c->peer_fwd_cnt = h->fwd_cnt;
    return vsock_send(v, c, VSOCK_OP_RESPONSE, 0, NULL, 0, 0, detail);
  }
  add_failure(detail, "no REQUEST to port %u within %lu ms", port, timeout_us / 1000);
  return false;
}

bool vsock_close(struct vsock* v, struct vsock_conn* c, struct sink* detail) {
  static struct vsock_packet p;
  return vsock_send(v, c, VSOCK_OP_SHUTDOWN, VSOCK_SHUTDOWN_BOTH, NULL, 0, 0, detail) &&
         vsock_expect(v, c, VSOCK_OP_RST, CLOSE_TIMEOUT_US, &p, detail);
}

bool vsock_echo(struct vsock* v, struct vsock_conn* c, const char* text, struct sink* detail) {
  uint32_t len = (uint32_t)strlen(text), got = 0;
  static struct vsock_packet p;
  static char back[64];
  if (len > sizeof(back) || !vsock_send(v, c, VSOCK_OP_RW, 0, text, len, len, detail)) return false;
  while (got < len) {
    if (!vsock_expect(v, c, VSOCK_OP_RW, CONNECT_TIMEOUT_US, &p, detail)) return false;
    uint32_t n = p.data_len < len - got ? p.data_len : len - got;
    memcpy(back + got, p.data, n);
    got += n;
  }
  if (memcmp(back, text, len) != 0) {
    add_failure(detail, "echo came back as \"%.*s\"", (int)len, back);
    return false;
  }
  // The device forwarded our bytes before the echo could come back, so the
  // echo's header counts them (5.10.6.3 fwd_cnt).
  if (c->peer_fwd_cnt != c->tx_cnt) {
    add_failure(detail, "echo header fwd_cnt %u after we sent %u bytes", c->peer_fwd_cnt, c->tx_cnt);
    return false;
  }
  return true;
}
