// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-net: configuration space, MAC derivation, and the transmit path
// (header sanitized, hostile chains dropped, later frames fine).
#include "net_fixture.hpp"

namespace vmm::virtio::net_test {
namespace {

TEST(DeriveMac, IsStableLocallyAdministeredUnicast) {
  MacAddress a = derive_mac("web1");
  EXPECT_EQ(a, derive_mac("web1"));
  EXPECT_NE(a, derive_mac("web2"));
  for (auto name : {"", "vmm", "web1", "a-very-long-machine-name-with-many-characters"}) {
    MacAddress mac = derive_mac(name);
    EXPECT_EQ(mac[0] & 0x01, 0) << name << ": unicast";
    EXPECT_EQ(mac[0] & 0x02, 0x02) << name << ": locally administered";
  }
}

TEST(DeriveMac, IsFnv1aOfTheName) {
  // FNV-1a 64 of "" is the offset basis 0xcbf29ce484222325: bytes 25 23 22 84 e4 9c, first byte 0x25 -> 0x26.
  EXPECT_EQ(derive_mac(""), (MacAddress{0x26, 0x23, 0x22, 0x84, 0xe4, 0x9c}));
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
  EXPECT_EQ(derive_mac("a"), (MacAddress{0x8e, 0xec, 0x01, 0x86, 0x4c, 0xdc}));
}

TEST_F(NetTest, DescribesItself) {
  EXPECT_EQ(device->type(), DeviceType::kNet);
  EXPECT_EQ(device->num_queues(), 2u);
  EXPECT_EQ(device->queue_max_size(NetDevice::kRxQueue), 256);
  EXPECT_EQ(device->queue_max_size(NetDevice::kTxQueue), 256);
  EXPECT_EQ(device->features(), kCommonFeatures | kNetFMac | kNetFStatus);
  // No offloads: CSUM (0), GUEST_CSUM (1), GUEST_TSO4 (7), HOST_TSO4 (11), MRG_RXBUF (15).
  for (int bit : {0, 1, 7, 11, 15}) EXPECT_EQ(device->features() & (uint64_t{1} << bit), 0u) << bit;
  EXPECT_EQ(device->mac(), kMac);
}

TEST_F(NetTest, ConfigHoldsMacAndLinkUp) {
  std::array<uint8_t, NetDevice::kConfigSize> config{};
  device->read_config(0, config);
  EXPECT_TRUE(std::equal(kMac.begin(), kMac.end(), config.begin()));
  EXPECT_EQ(config[6], kNetSLinkUp);
  EXPECT_EQ(config[7], 0);
  std::array<uint8_t, 2> status{};
  device->read_config(6, status);  // a driver reads the status word alone
  EXPECT_EQ(status[0], 1);
  std::array<uint8_t, 1> mac_byte{};
  device->read_config(5, mac_byte);
  EXPECT_EQ(mac_byte[0], 0x55);
}

TEST_F(NetTest, TransmittedFrameComesOutWithTheHeader) {
  activate();
  auto frame = frame_with("hello network");
  uint16_t head = guest_sends(0x20000, frame);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), frame);
  ASSERT_EQ(tx.used_idx(), 1);
  EXPECT_EQ(tx.used(0).id, head);
  EXPECT_EQ(tx.used(0).len, 0u);
  EXPECT_EQ(signals.used, 1);
  EXPECT_EQ(device->counters().tx_frames, 1u);
  EXPECT_EQ(device->counters().tx_bytes, 13u);
}

TEST_F(NetTest, FrameSplitOverBuffersIsGathered) {
  activate();
  auto frame = frame_with("split across three buffers");
  put(0x20000, std::span(frame).first(12));
  put(0x30000, std::span(frame).subspan(12, 5));
  put(0x31000, std::span(frame).subspan(17));
  std::array<Buffer, 3> buffers{{{0x20000, 12, false},
                                 {0x30000, 5, false},
                                 {0x31000, static_cast<uint32_t>(frame.size() - 17), false}}};
  tx.add_chain(buffers);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), frame);
}

TEST_F(NetTest, GuestHeaderIsZeroedOnTransmit) {
  activate();
  // NEEDS_CSUM, GSO_TCPV4 and offsets the device never offered to honour.
  auto frame = frame_with("payload", 0xff);
  guest_sends(0x20000, frame);
  notify(NetDevice::kTxQueue);
  auto sent = host_receives();
  ASSERT_EQ(sent.size(), frame.size());
  EXPECT_EQ(std::vector<uint8_t>(sent.begin(), sent.begin() + 12), std::vector<uint8_t>(12, 0));
  EXPECT_EQ(std::vector<uint8_t>(sent.begin() + 12, sent.end()), std::vector<uint8_t>(frame.begin() + 12, frame.end()));
}

TEST_F(NetTest, FrameShorterThanTheHeaderIsDroppedAndLaterFramesWork) {
  activate();
  std::vector<uint8_t> runt(7, 0xaa);
  auto good = frame_with("after the runt");
  guest_sends(0x20000, runt);
  guest_sends(0x21000, good);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), good);
  EXPECT_TRUE(host_receives().empty());
  ASSERT_EQ(tx.used_idx(), 2);
  EXPECT_EQ(device->counters().tx_dropped, 1u);
  EXPECT_EQ(device->counters().tx_frames, 1u);
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(NetTest, OversizedFrameIsDroppedAndLaterFramesWork) {
  activate();
  std::array<Buffer, 1> huge{{{0x20000, NetDevice::kMaxFrameSize + 1, false}}};
  tx.add_chain(huge);
  auto good = frame_with("fine");
  guest_sends(0x40000, good);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), good);
  EXPECT_TRUE(host_receives().empty());
  ASSERT_EQ(tx.used_idx(), 2);
  EXPECT_EQ(tx.used(0).len, 0u);
  EXPECT_EQ(device->counters().tx_dropped, 1u);
}

TEST_F(NetTest, LargestFramePasses) {
  activate();
  std::vector<uint8_t> frame(NetDevice::kMaxFrameSize, 0x42);
  std::fill_n(frame.begin(), 12, 0);
  guest_sends(0x20000, frame);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives().size(), NetDevice::kMaxFrameSize);
}

TEST_F(NetTest, FrameOutsideRamIsDropped) {
  activate();
  std::array<Buffer, 1> outside{{{kRamSize - 16, 64, false}}};
  tx.add_chain(outside);
  auto good = frame_with("ok");
  guest_sends(0x20000, good);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), good);
  ASSERT_EQ(tx.used_idx(), 2);
  EXPECT_EQ(device->counters().tx_dropped, 1u);
}

TEST_F(NetTest, LoopingChainIsCompletedAndLaterFramesWork) {
  activate();
  tx.write_descriptor(0, RawDescriptor{0x20000, 16, kDescFNext, 1});
  tx.write_descriptor(1, RawDescriptor{0x20010, 16, kDescFNext, 0});
  tx.publish(0);
  tx.set_next_free(2);
  auto good = frame_with("after the loop");
  guest_sends(0x30000, good);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(host_receives(), good);
  ASSERT_EQ(tx.used_idx(), 2);
  EXPECT_EQ(tx.used(0).id, 0u);
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(NetTest, BrokenTransmitRingNeedsReset) {
  activate();
  tx.set_avail_idx(1000);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure().find("transmitq"), std::string::npos);
}

TEST_F(NetTest, FullHostQueueDropsInsteadOfBlocking) {
  activate();
  // Nobody reads the peer: the socket buffer fills and sends fail with EAGAIN.
  std::vector<uint8_t> frame(60000, 0x11);
  std::fill_n(frame.begin(), 12, 0);
  put(0x20000, frame);
  std::array<Buffer, 1> buffer{{{0x20000, static_cast<uint32_t>(frame.size()), false}}};
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 16; ++i) tx.add_chain(buffer);
    notify(NetDevice::kTxQueue);
  }
  EXPECT_EQ(tx.used_idx(), 128);
  NetCounters counters = device->counters();
  EXPECT_GT(counters.tx_dropped, 0u);
  EXPECT_EQ(counters.tx_frames + counters.tx_dropped, 128u);
}

class RefusingThrottle final : public NetThrottle {
 public:
  bool admit_tx(uint64_t bytes) override {
    asked_bytes = bytes;
    return open;
  }
  bool admit_rx(uint64_t /*bytes*/) override { return open; }
  bool open = false;
  uint64_t asked_bytes = 0;
};

TEST_F(NetTest, ThrottledFrameWaitsForResume) {
  RefusingThrottle throttle;
  device->set_throttle(&throttle);
  activate();
  auto frame = frame_with("held back");
  guest_sends(0x20000, frame);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(throttle.asked_bytes, frame.size());
  EXPECT_TRUE(host_receives().empty());
  EXPECT_EQ(tx.used_idx(), 0);
  throttle.open = true;
  device->resume();
  run();
  EXPECT_EQ(host_receives(), frame);
  EXPECT_EQ(tx.used_idx(), 1);
  device->set_throttle(nullptr);
}

}  // namespace
}  // namespace vmm::virtio::net_test
