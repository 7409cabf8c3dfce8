// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-console: guest output reaches the sink in bounded pieces, host
// input is bounded, spread over receive buffers, and kept until the driver
// is ready; broken chains and rings follow the device error contract.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include <vmm/virtio/console.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio {
namespace {

using testing::Buffer;

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override {}
  void needs_reset() override { ++resets; }
  int used = 0, resets = 0;
};

class RecordingSink final : public ByteSink {
 public:
  void write(std::span<const uint8_t> bytes) override {
    text.append(bytes.begin(), bytes.end());
    largest_piece = std::max(largest_piece, bytes.size());
    ++pieces;
  }
  std::string text;
  size_t largest_piece = 0;
  int pieces = 0;
};

constexpr uint64_t kRamSize = 1 << 20;

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct ConsoleTest : ::testing::Test {
  ConsoleTest()
      : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), kRamSize}}).value()),
        loop(EventLoop::create().value()),
        device(ConsoleDevice::create(sink).value()),
        rx(memory, GuestAddress(0x1000), 16),
        tx(memory, GuestAddress(0x4000), 16) {
    EXPECT_TRUE(device->attach_to(loop).ok());
  }
  ~ConsoleTest() override { device->detach_from(loop); }

  void activate() {
    std::vector<Queue> queues;
    queues.push_back(Queue::create(ConsoleDevice::kQueueSize).value());
    queues.push_back(Queue::create(ConsoleDevice::kQueueSize).value());
    rx.configure(queues[0]);
    tx.configure(queues[1]);
    ASSERT_TRUE(device->activate(memory, std::move(queues), kCommonFeatures, signals).ok());
    run();
  }
  void run() {
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(loop.run_once(0).ok());
  }
  void notify(size_t queue) {
    ASSERT_TRUE(device->queue_event(queue).write(1).ok());
    run();
  }
  void put(uint64_t addr, const std::string& s) { ASSERT_TRUE(memory.write(GuestAddress(addr), bytes_of(s)).ok()); }
  std::string get(uint64_t addr, size_t len) {
    std::string s(len, '\0');
    EXPECT_TRUE(memory.read(GuestAddress(addr), std::span(reinterpret_cast<uint8_t*>(s.data()), len)).ok());
    return s;
  }
  uint16_t add_receive_buffer(uint64_t addr, uint32_t len) {
    std::array<Buffer, 1> buffer{{{addr, len, true}}};
    return rx.add_chain(buffer);
  }

  RecordingSink sink;
  GuestMemory memory;
  EventLoop loop;
  std::shared_ptr<ConsoleDevice> device;
  testing::MockQueue rx;
  testing::MockQueue tx;
  RecordingSignals signals;
};

TEST_F(ConsoleTest, DescribesItself) {
  EXPECT_EQ(device->type(), DeviceType::kConsole);
  EXPECT_EQ(device->num_queues(), 2u);
  EXPECT_EQ(device->features(), kCommonFeatures);  // no F_SIZE, F_MULTIPORT, F_EMERG_WRITE
  EXPECT_EQ(device->config_size(), 12u);
  std::array<uint8_t, 12> config;
  config.fill(0xff);
  device->read_config(0, config);
  for (uint8_t b : config) EXPECT_EQ(b, 0);  // cols = rows = 0
}

TEST_F(ConsoleTest, OutputGoesToTheSink) {
  activate();
  put(0x20000, "hello, ");
  put(0x30000, "world\n");
  std::array<Buffer, 2> buffers{{{0x20000, 7, false}, {0x30000, 6, false}}};
  uint16_t head = tx.add_chain(buffers);
  notify(ConsoleDevice::kTransmitQueue);
  EXPECT_EQ(sink.text, "hello, world\n");
  ASSERT_EQ(tx.used_idx(), 1);
  EXPECT_EQ(tx.used(0).id, head);
  EXPECT_EQ(tx.used(0).len, 0u);
  EXPECT_EQ(signals.used, 1);
}

TEST_F(ConsoleTest, OutputFloodIsCutIntoBoundedPiecesAndCapped) {
  activate();
  std::string big(200 * 1024, 'x');
  put(0x20000, big);
  std::array<Buffer, 1> buffer{{{0x20000, static_cast<uint32_t>(big.size()), false}}};
  tx.add_chain(buffer);
  notify(ConsoleDevice::kTransmitQueue);
  EXPECT_EQ(sink.text.size(), ConsoleDevice::kMaxOutputPerChain);
  EXPECT_LE(sink.largest_piece, ConsoleDevice::kOutputPieceSize);
  EXPECT_EQ(device->dropped_output(), big.size() - ConsoleDevice::kMaxOutputPerChain);
  ASSERT_EQ(tx.used_idx(), 1);
}

TEST_F(ConsoleTest, OutputOutsideRamIsCompletedAndLaterOutputWorks) {
  activate();
  put(0x20000, "ok");
  std::array<Buffer, 1> outside{{{kRamSize - 2, 64, false}}};
  std::array<Buffer, 1> good{{{0x20000, 2, false}}};
  tx.add_chain(outside);
  tx.add_chain(good);
  notify(ConsoleDevice::kTransmitQueue);
  ASSERT_EQ(tx.used_idx(), 2);
  EXPECT_EQ(sink.text, "ok");
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(ConsoleTest, InputIsSpreadOverSeveralChains) {
  activate();
  uint16_t first = add_receive_buffer(0x20000, 4);
  add_receive_buffer(0x21000, 4);
  add_receive_buffer(0x22000, 4);
  notify(ConsoleDevice::kReceiveQueue);
  EXPECT_EQ(rx.used_idx(), 0);  // no input yet: buffers stay with the device
  EXPECT_EQ(device->send_input(bytes_of("abcdefghij")), 10u);
  run();
  ASSERT_EQ(rx.used_idx(), 3);
  EXPECT_EQ(rx.used(0).id, first);
  EXPECT_EQ(rx.used(0).len, 4u);
  EXPECT_EQ(rx.used(1).len, 4u);
  EXPECT_EQ(rx.used(2).len, 2u);
  EXPECT_EQ(get(0x20000, 4) + get(0x21000, 4) + get(0x22000, 2), "abcdefghij");
}

TEST_F(ConsoleTest, InputWaitsForBuffers) {
  activate();
  EXPECT_EQ(device->send_input(bytes_of("late")), 4u);
  run();
  EXPECT_EQ(rx.used_idx(), 0);
  add_receive_buffer(0x20000, 16);
  notify(ConsoleDevice::kReceiveQueue);
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, 4u);
  EXPECT_EQ(get(0x20000, 4), "late");
}

TEST_F(ConsoleTest, InputIsBounded) {
  std::string flood(3 * ConsoleDevice::kInputCapacity, 'f');
  EXPECT_EQ(device->send_input(bytes_of(flood)), ConsoleDevice::kInputCapacity);
  EXPECT_EQ(device->send_input(bytes_of("more")), 0u);  // caller keeps the rest
}

TEST_F(ConsoleTest, InputBeforeActivationIsDeliveredAfter) {
  EXPECT_FALSE(device->ready_for_input());
  EXPECT_EQ(device->send_input(bytes_of("early")), 5u);
  run();
  add_receive_buffer(0x20000, 16);
  activate();
  EXPECT_TRUE(device->ready_for_input());
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, 5u);
  EXPECT_EQ(get(0x20000, 5), "early");
}

TEST_F(ConsoleTest, FullInputDrainsAndAcceptsMore) {
  std::string flood(ConsoleDevice::kInputCapacity, 'a');
  ASSERT_EQ(device->send_input(bytes_of(flood)), flood.size());
  activate();
  add_receive_buffer(0x20000, ConsoleDevice::kInputCapacity);
  notify(ConsoleDevice::kReceiveQueue);
  ASSERT_EQ(rx.used_idx(), 1);
  EXPECT_EQ(rx.used(0).len, ConsoleDevice::kInputCapacity);
  EXPECT_EQ(device->send_input(bytes_of("b")), 1u);
}

TEST_F(ConsoleTest, ReceiveBufferOutsideRamKeepsTheInput) {
  activate();
  add_receive_buffer(kRamSize - 1, 16);
  add_receive_buffer(0x20000, 16);
  EXPECT_EQ(device->send_input(bytes_of("kept")), 4u);
  run();
  ASSERT_EQ(rx.used_idx(), 2);
  EXPECT_EQ(rx.used(0).len, 0u);
  EXPECT_EQ(rx.used(1).len, 4u);
  EXPECT_EQ(get(0x20000, 4), "kept");
}

TEST_F(ConsoleTest, InputFromAnotherThread) {
  activate();
  for (int i = 0; i < 8; ++i) add_receive_buffer(0x20000 + 0x100 * i, 0x100);
  std::thread writer([&] {
    std::string line(100, 'z');
    size_t sent = 0;
    while (sent < line.size()) sent += device->send_input(bytes_of(line.substr(sent)));
  });
  writer.join();
  run();
  uint32_t total = 0;
  for (uint16_t i = 0; i < rx.used_idx(); ++i) total += rx.used(i).len;
  EXPECT_EQ(total, 100u);
}

TEST_F(ConsoleTest, BrokenReceiveRingNeedsReset) {
  activate();
  rx.set_avail_idx(50);
  EXPECT_EQ(device->send_input(bytes_of("x")), 1u);
  run();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_FALSE(device->ready_for_input());
  EXPECT_NE(device->failure().find("receiveq"), std::string::npos);
}

TEST_F(ConsoleTest, BrokenTransmitRingNeedsReset) {
  activate();
  tx.publish(77);
  notify(ConsoleDevice::kTransmitQueue);
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure().find("transmitq"), std::string::npos);
}

}  // namespace
}  // namespace vmm::virtio
