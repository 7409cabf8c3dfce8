// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A guest that breaks the rules: credit (VIRTIO 1.2 §5.10.6.3) is enforced
// both ways, lying headers and broken chains cost the guest its connection
// or its packet, and later correct packets still work.
#include "vsock_fixture.hpp"

namespace vmm::virtio {
namespace {

class HostileGuestTest : public VsockTest {
 protected:
  // An established guest-initiated connection 1234 -> 5000 that granted `buf_alloc` bytes of credit.
  void connect(uint32_t buf_alloc = 65536) {
    listener = listen_at(path("_5000"));
    activate();
    give_rx_buffers(12);
    send(from_guest(VsockOp::kRequest, 1234, 5000, buf_alloc));
    auto response = received();
    ASSERT_TRUE(response);
    ASSERT_TRUE(response->header.is(VsockOp::kResponse));
    host = accept_from(listener);
  }
  void send_data(const std::string& data, uint32_t claimed_len) {
    VsockHeader header = from_guest(VsockOp::kRw, 1234, 5000);
    header.len = claimed_len;
    send(header, data);
  }
  size_t payload_bytes(const std::vector<Packet>& packets) {
    size_t total = 0;
    for (const auto& packet : packets) total += packet.payload.size();
    return total;
  }
  Fd listener, host;
};

TEST_F(HostileGuestTest, DeviceStopsAtTheGuestsCreditAndResumesAfterCreditUpdate) {
  connect(100);
  write_all_to(host, std::string(300, 'x'));
  pump();
  auto first = received_all();
  EXPECT_EQ(payload_bytes(first), 100u);
  pump();
  EXPECT_FALSE(received());  // buffers are there, but no credit

  send(from_guest(VsockOp::kCreditUpdate, 1234, 5000, 100, 100));
  EXPECT_EQ(payload_bytes(received_all()), 100u);
  send(from_guest(VsockOp::kCreditUpdate, 1234, 5000, 1000, 200));
  EXPECT_EQ(payload_bytes(received_all()), 100u);  // only 100 bytes were left
}

TEST_F(HostileGuestTest, CreditOverflowResetsTheConnection) {
  connect();
  std::string too_much(256 * 1024 + 1, 'y');
  send_data(too_much, static_cast<uint32_t>(too_much.size()));
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_TRUE(at_eof(host));
  EXPECT_EQ(device->connection_count(), 0u);
}

TEST_F(HostileGuestTest, LenBeyondThePayloadResetsAndLaterPacketsWork) {
  connect();
  send_data("abc", 1000);  // claims 1000 bytes, carries 3
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_TRUE(at_eof(host));
  EXPECT_EQ(device->connection_count(), 0u);

  send(from_guest(VsockOp::kRequest, 1235, 5000));
  auto response = received();
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->header.is(VsockOp::kResponse));
  Fd second = accept_from(listener);
  VsockHeader data = from_guest(VsockOp::kRw, 1235, 5000);
  data.len = 2;
  send(data, "ok");
  EXPECT_EQ(read_from(second, 2), "ok");
}

TEST_F(HostileGuestTest, PacketsNotFromTheGuestToTheHostAreDropped) {
  connect();
  VsockHeader spoofed = from_guest(VsockOp::kRw, 1234, 5000);
  spoofed.src_cid = 7;
  spoofed.len = 4;
  send(spoofed, "evil");
  VsockHeader elsewhere = from_guest(VsockOp::kRequest, 1, 5000);
  elsewhere.dst_cid = 9;
  send(elsewhere);
  EXPECT_FALSE(received());
  EXPECT_EQ(device->connection_count(), 1u);
  send_data("fine", 4);
  EXPECT_EQ(read_from(host, 4), "fine");
}

TEST_F(HostileGuestTest, UnknownOpOrTypeGetsRst) {
  connect();
  VsockHeader unknown = from_guest(VsockOp::kRw, 1234, 5000);
  unknown.op = 99;
  send(unknown);
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_EQ(device->connection_count(), 0u);

  VsockHeader seqpacket = from_guest(VsockOp::kRequest, 1300, 5000);
  seqpacket.type = 2;
  send(seqpacket);
  reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_EQ(reply->header.dst_port, 1300u);
}

TEST_F(HostileGuestTest, DataForAnUnknownConnectionGetsRst) {
  activate();
  give_rx_buffers(2);
  VsockHeader stray = from_guest(VsockOp::kRw, 77, 88);
  stray.len = 1;
  send(stray, "z");
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  send(from_guest(VsockOp::kRst, 77, 88));  // an RST is never answered
  EXPECT_FALSE(received());
}

TEST_F(HostileGuestTest, BrokenTxChainsAreCompletedAndTheNextOneServed) {
  connect();
  std::array<testing::Buffer, 1> outside{{{64ull << 20, 100, false}}};  // not guest RAM
  tx.add_chain(outside);
  std::array<testing::Buffer, 1> short_header{{{kTxBuffers, 10, false}}};
  tx.add_chain(short_header);
  send_data("still", 5);
  EXPECT_EQ(tx.used_idx(), tx.avail_idx());
  EXPECT_EQ(read_from(host, 5), "still");
  EXPECT_EQ(signals.resets, 0);
}

TEST_F(HostileGuestTest, TinyRxBufferIsReturnedEmptyAndTheNextOneUsed) {
  listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(1, 20);  // smaller than a header
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, 0u);
  rx_seen = 1;
  give_rx_buffers(1);
  auto response = received();
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->header.is(VsockOp::kResponse));
}

TEST_F(HostileGuestTest, AvailIndexTooFarNeedsReset) {
  connect();
  tx.set_avail_idx(static_cast<uint16_t>(tx.avail_idx() + 100));
  ASSERT_TRUE(device->queue_event(VsockDevice::kTxQueue).write(1).ok());
  pump();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure(), "");
}

}  // namespace
}  // namespace vmm::virtio
