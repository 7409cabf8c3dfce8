// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-net receive path: frames land in guest buffers with the right used
// length and a rewritten header; no buffers means waiting, not spinning or
// losing the frame; oversized and early frames are dropped.
#include <poll.h>

#include "net_fixture.hpp"

namespace vmm::virtio::net_test {
namespace {

std::vector<uint8_t> expected_in_guest(std::vector<uint8_t> frame) {
  std::fill_n(frame.begin(), NetDevice::kHeaderSize, uint8_t{0});
  frame[10] = 1;  // num_buffers = 1 (§5.1.6.4)
  return frame;
}

TEST_F(NetTest, ReceivedFrameLandsInTheGuestBuffer) {
  activate();
  uint16_t head = add_rx_buffer(0x20000, 1526);
  notify(NetDevice::kRxQueue);
  auto frame = frame_with("incoming frame");
  host_sends(frame);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).id, head);
  EXPECT_EQ(rx.used(0).len, frame.size());
  EXPECT_EQ(get(0x20000, frame.size()), expected_in_guest(frame));
  EXPECT_GE(signals.used, 1);
  EXPECT_EQ(device->counters().rx_frames, 1u);
  EXPECT_EQ(device->counters().rx_bytes, 14u);
}

TEST_F(NetTest, HostHeaderFlagsAreRewritten) {
  activate();
  add_rx_buffer(0x20000, 1526);
  auto frame = frame_with("data valid from the tap", 0x02);
  host_sends(frame);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(get(0x20000, frame.size()), expected_in_guest(frame));
}

TEST_F(NetTest, FrameSpreadsOverWritableBuffersOfOneChain) {
  activate();
  std::array<Buffer, 2> buffers{{{0x20000, 12, true}, {0x30000, 100, true}}};
  rx.add_chain(buffers);
  auto frame = frame_with("header apart from the data");
  host_sends(frame);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, frame.size());
  auto guest = get(0x20000, 12);
  auto rest = get(0x30000, frame.size() - 12);
  guest.insert(guest.end(), rest.begin(), rest.end());
  EXPECT_EQ(guest, expected_in_guest(frame));
}

TEST_F(NetTest, FramesWaitForBuffersAndFlowWhenTheyArrive) {
  activate();
  auto first = frame_with("first");
  auto second = frame_with("second");
  host_sends(first);
  host_sends(second);
  run();
  EXPECT_EQ(rx.used_idx(), 0);
  EXPECT_EQ(device->counters().rx_dropped, 0u);  // kept, not dropped
  add_rx_buffer(0x20000, 1526);
  notify(NetDevice::kRxQueue);
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(get(0x20000, first.size()), expected_in_guest(first));
  add_rx_buffer(0x21000, 1526);
  notify(NetDevice::kRxQueue);
  ASSERT_EQ(rx.used_idx(), 2);
  EXPECT_EQ(rx.used(1).len, second.size());
  EXPECT_EQ(get(0x21000, second.size()), expected_in_guest(second));
}

TEST_F(NetTest, NoBuffersDoesNotSpinTheLoop) {
  activate();
  host_sends(frame_with("nobody listens"));
  host_sends(frame_with("nor to this one"));
  run();
  EXPECT_EQ(rx.used_idx(), 0);
  // Parked: the event loop's epoll fd has nothing pending, although the
  // second frame is still unread (a level-triggered registration would fire forever).
  pollfd pending{loop.fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&pending, 1, 0), 0);
  EXPECT_EQ(device->counters().rx_dropped, 0u);
}

TEST_F(NetTest, ManyFramesFillEveryBuffer) {
  activate();
  for (int i = 0; i < 16; ++i) add_rx_buffer(0x20000 + 0x1000 * i, 1526);
  for (int i = 0; i < 20; ++i) host_sends(frame_with("frame " + std::to_string(i)));
  run();
  ASSERT_EQ(rx.used_idx(), 16);
  EXPECT_EQ(get(0x20000 + 0x1000 * 15 + 12, 8), std::vector<uint8_t>({'f', 'r', 'a', 'm', 'e', ' ', '1', '5'}));
  for (int i = 0; i < 4; ++i) add_rx_buffer(0x40000 + 0x1000 * i, 1526);
  notify(NetDevice::kRxQueue);
  EXPECT_EQ(rx.used_idx(), 20);
}

TEST_F(NetTest, FrameLargerThanTheChainIsDroppedAndTheNextFits) {
  activate();
  add_rx_buffer(0x20000, 100);
  add_rx_buffer(0x21000, 1526);
  std::string big(500, 'B');
  host_sends(frame_with(big));
  auto small = frame_with("small");
  host_sends(small);
  run();
  ASSERT_EQ(rx.used_idx(), 2);
  EXPECT_EQ(rx.used(0).len, 0u);
  EXPECT_EQ(rx.used(1).len, small.size());
  EXPECT_EQ(get(0x21000, small.size()), expected_in_guest(small));
  EXPECT_EQ(device->counters().rx_dropped, 1u);
}

TEST_F(NetTest, FrameLargerThanTheMaximumIsDropped) {
  activate();
  add_rx_buffer(0x20000, 1526);
  std::vector<uint8_t> huge(NetDevice::kMaxFrameSize + 100, 0x33);
  host_sends(huge);
  auto small = frame_with("small");
  host_sends(small);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, small.size());
  EXPECT_EQ(device->counters().rx_dropped, 1u);
}

TEST_F(NetTest, RuntFromTheHostIsDropped) {
  activate();
  add_rx_buffer(0x20000, 1526);
  std::vector<uint8_t> runt(5, 0x01);
  host_sends(runt);
  auto small = frame_with("ok");
  host_sends(small);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, small.size());
}

TEST_F(NetTest, ReceiveBufferOutsideRamIsCompletedEmpty) {
  activate();
  add_rx_buffer(kRamSize - 10, 1526);
  add_rx_buffer(0x20000, 1526);
  host_sends(frame_with("lost"));
  auto second = frame_with("kept");
  host_sends(second);
  run();
  ASSERT_EQ(rx.used_idx(), 2);
  EXPECT_EQ(rx.used(0).len, 0u);
  EXPECT_EQ(rx.used(1).len, second.size());
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(NetTest, FramesBeforeActivationAreDropped) {
  host_sends(frame_with("too early"));
  run();
  EXPECT_EQ(device->counters().rx_dropped, 1u);
  add_rx_buffer(0x20000, 1526);
  activate();
  EXPECT_EQ(rx.used_idx(), 0);
  auto later = frame_with("on time");
  host_sends(later);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(get(0x20000, later.size()), expected_in_guest(later));
}

TEST_F(NetTest, BrokenReceiveRingNeedsReset) {
  activate();
  rx.publish(200);
  host_sends(frame_with("x"));
  run();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure().find("receiveq"), std::string::npos);
  // Failed: frames are drained and dropped, the loop stays quiet.
  host_sends(frame_with("y"));
  run();
  EXPECT_GE(device->counters().rx_dropped, 1u);
}

TEST_F(NetTest, ReceiveWorksAfterResetAndReactivation) {
  activate();
  host_sends(frame_with("pending at reset"));
  run();
  device->reset();
  rx = testing::MockQueue(memory, GuestAddress(0x1000), 16);
  tx = testing::MockQueue(memory, GuestAddress(0x4000), 16);
  add_rx_buffer(0x20000, 1526);
  activate();
  auto frame = frame_with("new driver");
  host_sends(frame);
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(get(0x20000, frame.size()), expected_in_guest(frame));
}

TEST_F(NetTest, EventIdxReceiveRearmsNotifications) {
  activate(/*event_idx=*/true);
  add_rx_buffer(0x20000, 1526);
  host_sends(frame_with("one"));
  host_sends(frame_with("two"));
  run();
  ASSERT_EQ(rx.used_idx(), 1);
  // Out of buffers with a frame waiting: the device asks to hear about the
  // driver's next buffer, avail index 1 (§2.7.10).
  EXPECT_EQ(rx.avail_event(), 1);
  add_rx_buffer(0x21000, 1526);
  notify(NetDevice::kRxQueue);
  EXPECT_EQ(rx.used_idx(), 2);
}

TEST_F(NetTest, PeerHangupIsHandledQuietly) {
  activate();
  add_rx_buffer(0x20000, 1526);
  peer.reset();
  run();
  run();
  auto frame = frame_with("to nowhere");
  guest_sends(0x30000, frame);
  notify(NetDevice::kTxQueue);
  EXPECT_EQ(tx.used_idx(), 1);  // completed, dropped
  EXPECT_EQ(rx.used_idx(), 0);
  EXPECT_TRUE(device->failure().empty());
}

}  // namespace
}  // namespace vmm::virtio::net_test
