// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// net: the virtio network device (VIRTIO 1.2, 5.1) on the host's tap, whose
// address is vmmkit.net=GUEST_IP,PEER_IP: an ARP request for the peer gets
// its reply (RFC 826), then an ICMP echo request gets the echo reply
// (RFC 792). ARP requests for our address are answered on the way, so the
// host can reach us whatever its neighbour cache holds.
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "virtio_net.h"

#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800
#define ETH_MIN_FRAME 60
#define TRIES 3
#define TRY_US 1000000
#define ICMP_ID 0x766d  // "vm"
#define ICMP_PAYLOAD 32

struct peer {
  uint8_t guest_ip[4], peer_ip[4], peer_mac[6];
};

static bool parse_ip(const char* s, size_t len, uint8_t out[4]) {
  size_t i = 0;
  for (unsigned part = 0; part < 4; part++) {
    size_t start = i;
    while (i < len && s[i] != '.' && s[i] != ',') i++;
    uint64_t v;
    if (!parse_u64(s + start, i - start, &v) || v > 255 || (part < 3 && (i >= len || s[i] != '.')))
      return false;
    out[part] = (uint8_t)v;
    i++;
  }
  return i >= len;
}

static bool parse_net(const struct guest* g, struct peer* p) {
  const char* v;
  size_t len, comma = 0;
  if (!cmdline_value(&g->boot, "vmmkit.net", &v, &len)) return false;
  while (comma < len && v[comma] != ',') comma++;
  return comma < len && parse_ip(v, comma, p->guest_ip) &&
         parse_ip(v + comma + 1, len - comma - 1, p->peer_ip);
}

static void put16(uint8_t* p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static uint16_t get16(const uint8_t* p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void eth_header(uint8_t* f, const uint8_t* dst, const uint8_t* src, uint16_t type) {
  memcpy(f, dst, 6);
  memcpy(f + 6, src, 6);
  put16(f + 12, type);
}

static void arp_frame(uint8_t* f, uint16_t op, const uint8_t* src_mac, const uint8_t* src_ip,
                      const uint8_t* dst_mac, const uint8_t* dst_ip) {
  static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  memset(f, 0, ETH_MIN_FRAME);
  eth_header(f, op == 1 ? broadcast : dst_mac, src_mac, ETH_ARP);
  uint8_t* a = f + 14;
  put16(a, 1);           // Ethernet
  put16(a + 2, 0x0800);  // IPv4
  a[4] = 6;
  a[5] = 4;
  put16(a + 6, op);
  memcpy(a + 8, src_mac, 6);
  memcpy(a + 14, src_ip, 4);
  memcpy(a + 18, dst_mac, 6);
  memcpy(a + 24, dst_ip, 4);
}

static uint16_t checksum(const uint8_t* p, unsigned len) {
  uint32_t sum = 0;
  for (unsigned i = 0; i + 1 < len; i += 2) sum += get16(p + i);
  if (len & 1) sum += (uint32_t)p[len - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static unsigned echo_frame(uint8_t* f, const struct net* n, const struct peer* p, uint16_t seq) {
  eth_header(f, p->peer_mac, n->mac, ETH_IPV4);
  uint8_t* ip = f + 14;
  unsigned ip_len = 20 + 8 + ICMP_PAYLOAD;
  memset(ip, 0, 20);
  ip[0] = 0x45;
  put16(ip + 2, (uint16_t)ip_len);
  ip[8] = 64;  // TTL
  ip[9] = 1;   // ICMP
  memcpy(ip + 12, p->guest_ip, 4);
  memcpy(ip + 16, p->peer_ip, 4);
  put16(ip + 10, checksum(ip, 20));
  uint8_t* icmp = ip + 20;
  memset(icmp, 0, 8);
  icmp[0] = 8;  // echo request
  put16(icmp + 4, ICMP_ID);
  put16(icmp + 6, seq);
  for (unsigned i = 0; i < ICMP_PAYLOAD; i++) icmp[8 + i] = (uint8_t)('a' + i % 26);
  put16(icmp + 2, checksum(icmp, 8 + ICMP_PAYLOAD));
  return 14 + ip_len;
}

enum reply { NOTHING, ARP_REPLY, ECHO_REPLY };

// Classifies one received frame, answering ARP requests for our address.
static enum reply handle(struct net* n, struct peer* p, const uint8_t* f, uint32_t len, uint16_t seq,
                         struct sink* d) {
  if (len >= 42 && get16(f + 12) == ETH_ARP) {
    const uint8_t* a = f + 14;
    if (get16(a + 6) == 2 && memcmp(a + 14, p->peer_ip, 4) == 0) {
      memcpy(p->peer_mac, a + 8, 6);
      return ARP_REPLY;
    }
    if (get16(a + 6) == 1 && memcmp(a + 24, p->guest_ip, 4) == 0) {
      static uint8_t answer[ETH_MIN_FRAME];
      arp_frame(answer, 2, n->mac, p->guest_ip, a + 8, a + 14);
      net_send(n, answer, ETH_MIN_FRAME, d);
    }
    return NOTHING;
  }
  if (len >= 14 + 20 + 8 && get16(f + 12) == ETH_IPV4 && f[14 + 9] == 1) {
    const uint8_t* ip = f + 14;
    const uint8_t* icmp = ip + (ip[0] & 0xf) * 4;
    if (icmp + 8 <= f + len && memcmp(ip + 12, p->peer_ip, 4) == 0 && icmp[0] == 0 &&
        get16(icmp + 4) == ICMP_ID && get16(icmp + 6) == seq)
      return ECHO_REPLY;
  }
  return NOTHING;
}

// Sends `frame` up to TRIES times until a frame of kind `want` arrives.
static bool exchange(struct net* n, struct peer* p, const uint8_t* frame, unsigned len, enum reply want,
                     uint16_t seq, unsigned* seen, struct sink* d) {
  static uint8_t in[NET_FRAME_MAX];
  for (unsigned t = 0; t < TRIES; t++) {
    if (!net_send(n, frame, len, d)) return false;
    uint64_t deadline = clock_us() + TRY_US;
    uint32_t got;
    for (uint64_t now = clock_us(); now < deadline; now = clock_us()) {
      if (!net_recv(n, deadline - now, in, &got, d)) break;
      (*seen)++;
      if (handle(n, p, in, got, seq, d) == want) return true;
    }
  }
  return false;
}

bool check_net(const struct guest* g, struct sink* detail) {
  struct peer p = {0};
  if (!parse_net(g, &p)) {
    add_failure(detail, "no vmmkit.net=GUEST_IP,PEER_IP on the command line");
    return false;
  }
  struct net n;
  if (!dma_reset(g, detail) || !net_open(g, &n, detail)) return false;
  static uint8_t frame[ETH_MIN_FRAME + 64];
  static const uint8_t zero_mac[6];
  unsigned seen = 0;
  if (!(n.status & VIRTIO_NET_S_LINK_UP)) add_failure(detail, "config status %#x: link down", n.status);
  arp_frame(frame, 1, n.mac, p.guest_ip, zero_mac, p.peer_ip);
  bool arp = exchange(&n, &p, frame, ETH_MIN_FRAME, ARP_REPLY, 0, &seen, detail);
  if (!arp)
    add_failure(detail, "no ARP reply for %u.%u.%u.%u", p.peer_ip[0], p.peer_ip[1], p.peer_ip[2],
                p.peer_ip[3]);
  if (arp) {
    unsigned len = echo_frame(frame, &n, &p, 1);
    if (!exchange(&n, &p, frame, len, ECHO_REPLY, 1, &seen, detail))
      add_failure(detail, "no ICMP echo reply");
  }
  uint32_t irqs = virtio_irq_wait(100000);
  virtio_close(g, &n.dev);
  if (detail->len) return false;
  sink_printf(
      detail,
      "device %u at %#lx: mac %02x:%02x:%02x:%02x:%02x:%02x, ARP reply from %02x:%02x:%02x:%02x:%02x:%02x, "
      "echo reply, %u frames received, %u interrupts on IOAPIC pin %d",
      n.dev.position, n.dev.base, n.mac[0], n.mac[1], n.mac[2], n.mac[3], n.mac[4], n.mac[5], p.peer_mac[0],
      p.peer_mac[1], p.peer_mac[2], p.peer_mac[3], p.peer_mac[4], p.peer_mac[5], seen, irqs, n.dev.pin);
  return true;
}
