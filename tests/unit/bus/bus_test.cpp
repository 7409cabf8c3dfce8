// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include <vmm/bus/bus.hpp>

namespace vmm {
namespace {

// Records the last access; reads return the offset in every byte.
class RecordingDevice final : public BusDevice {
 public:
  void read(uint64_t offset, std::span<uint8_t> data) override {
    last_offset = offset;
    last_size = data.size();
    reads++;
    for (auto& byte : data) byte = static_cast<uint8_t>(offset);
  }
  void write(uint64_t offset, std::span<const uint8_t> data) override {
    last_offset = offset;
    last_size = data.size();
    last_value = data.empty() ? 0 : data[0];
    writes++;
  }
  uint64_t last_offset = ~uint64_t{0};
  size_t last_size = 0;
  uint8_t last_value = 0;
  int reads = 0;
  int writes = 0;
};

std::shared_ptr<RecordingDevice> device() { return std::make_shared<RecordingDevice>(); }

TEST(Bus, RejectsZeroLength) {
  Bus bus;
  auto result = bus.insert(device(), 0x3f8, 0);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), BusErrc::kZeroLength);
  EXPECT_EQ(result.error().context(), "bus range at 0x3f8 has length 0");
  EXPECT_EQ(bus.size(), 0u);
}

TEST(Bus, RejectsNullDevice) {
  Bus bus;
  EXPECT_FALSE(bus.insert(nullptr, 0x3f8, 8).ok());
}

TEST(Bus, RejectsOverflowButAllowsTheTopByte) {
  Bus bus;
  auto wraps = bus.insert(device(), UINT64_MAX - 3, 5);
  ASSERT_FALSE(wraps.ok());
  EXPECT_EQ(wraps.error().code(), BusErrc::kOverflow);
  EXPECT_EQ(wraps.error().context(),
            "bus range at 0xfffffffffffffffc of length 0x5 wraps past the end of the address space");
  EXPECT_FALSE(bus.insert(device(), 2, UINT64_MAX).ok());
  EXPECT_FALSE(bus.insert(device(), UINT64_MAX, 2).ok());
  EXPECT_EQ(bus.size(), 0u);
  // [2^64 - 4, 2^64 - 1] ends exactly at the top, as does [1, 2^64 - 1].
  EXPECT_TRUE(bus.insert(device(), UINT64_MAX - 3, 4).ok());
  Bus whole;
  EXPECT_TRUE(whole.insert(device(), 1, UINT64_MAX).ok());
  EXPECT_TRUE(whole.insert(device(), 0, 1).ok());
}

struct OverlapCase {
  uint64_t base;
  uint64_t length;
};

// Every shape against an existing [0x100, 0x10f]: same, inside, covering,
// straddling the start, straddling the end, one byte at each edge.
TEST(Bus, RejectsEveryOverlapShape) {
  const OverlapCase cases[] = {
      {0x100, 0x10}, {0x104, 0x4}, {0xf0, 0x100}, {0xf8, 0x10},   {0x108, 0x10},
      {0x100, 1},    {0x10f, 1},   {0xff, 2},     {0x10f, 0x100}, {0, UINT64_MAX},
  };
  for (const auto& c : cases) {
    Bus bus;
    ASSERT_TRUE(bus.insert(device(), 0x100, 0x10).ok());
    auto result = bus.insert(device(), c.base, c.length);
    ASSERT_FALSE(result.ok()) << std::hex << c.base << "+" << c.length;
    EXPECT_EQ(result.error().code(), BusErrc::kOverlap);
    EXPECT_EQ(bus.size(), 1u);
  }
}

TEST(Bus, OverlapErrorNamesBothRanges) {
  Bus bus;
  ASSERT_TRUE(bus.insert(device(), 0x3f8, 8).ok());
  auto result = bus.insert(device(), 0x3fc, 8);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().context(), "bus range [0x3fc, 0x403] overlaps [0x3f8, 0x3ff]");
  EXPECT_EQ(result.error().message(), "bus range [0x3fc, 0x403] overlaps [0x3f8, 0x3ff]: bus ranges overlap");
}

TEST(Bus, OverlapDetectedAmongManyRanges) {
  Bus bus;
  for (uint64_t base = 0; base < 0x1000; base += 0x100)
    ASSERT_TRUE(bus.insert(device(), base + 0x10, 0x10).ok());
  EXPECT_FALSE(bus.insert(device(), 0x50, 0x200).ok());  // covers several
  EXPECT_FALSE(bus.insert(device(), 0x51f, 0x2).ok());   // tail of one
  EXPECT_TRUE(bus.insert(device(), 0x520, 0xf0).ok());   // the gap exactly
  EXPECT_EQ(bus.size(), 17u);
}

TEST(Bus, AdjacentRangesAreAllowed) {
  Bus bus;
  EXPECT_TRUE(bus.insert(device(), 0x10, 0x10).ok());
  EXPECT_TRUE(bus.insert(device(), 0x20, 0x10).ok());  // right after
  EXPECT_TRUE(bus.insert(device(), 0x0, 0x10).ok());   // right before
  auto ranges = bus.ranges();
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0].base, 0x0u);
  EXPECT_EQ(ranges[1].base, 0x10u);
  EXPECT_EQ(ranges[2].base, 0x20u);
}

TEST(Bus, LookupAtBoundaries) {
  Bus bus;
  auto serial = device();
  ASSERT_TRUE(bus.insert(serial, 0x3f8, 8).ok());
  std::array<uint8_t, 1> byte{};
  EXPECT_FALSE(bus.read(0x3f7, byte));
  EXPECT_TRUE(bus.read(0x3f8, byte));
  EXPECT_EQ(serial->last_offset, 0u);
  EXPECT_TRUE(bus.read(0x3ff, byte));
  EXPECT_EQ(serial->last_offset, 7u);
  EXPECT_FALSE(bus.read(0x400, byte));
  EXPECT_FALSE(bus.read(0, byte));
  EXPECT_FALSE(bus.read(UINT64_MAX, byte));
}

TEST(Bus, AccessRunningPastTheEndIsNotDispatched) {
  Bus bus;
  auto dev = device();
  ASSERT_TRUE(bus.insert(dev, 0x3f8, 8).ok());
  ASSERT_TRUE(bus.insert(device(), 0x400, 8).ok());  // adjacent: still not a single range
  std::array<uint8_t, 4> data{0xaa, 0xaa, 0xaa, 0xaa};
  EXPECT_TRUE(bus.read(0x3fc, data));   // ends exactly at the end
  EXPECT_FALSE(bus.read(0x3fd, data));  // one byte past
  EXPECT_FALSE(bus.write(0x3fe, data));
  EXPECT_EQ(dev->reads, 1);
  EXPECT_EQ(dev->writes, 0);
  EXPECT_FALSE(bus.read(0x3f8, std::span<uint8_t>()));  // empty access
}

TEST(Bus, AccessAtTheTopOfTheAddressSpace) {
  Bus bus;
  auto dev = device();
  ASSERT_TRUE(bus.insert(dev, UINT64_MAX - 7, 8).ok());
  std::array<uint8_t, 8> data{};
  EXPECT_TRUE(bus.read(UINT64_MAX - 7, data));
  EXPECT_FALSE(bus.read(UINT64_MAX - 6, data));  // address + size wraps
  EXPECT_TRUE(bus.read(UINT64_MAX, std::span(data).first(1)));
  EXPECT_EQ(dev->last_offset, 7u);
}

TEST(Bus, DispatchesOffsetsRelativeToEachRange) {
  Bus bus;
  auto shared = device();
  ASSERT_TRUE(bus.insert(shared, 0x60, 1).ok());
  ASSERT_TRUE(bus.insert(shared, 0x64, 1).ok());
  auto mmio = device();
  ASSERT_TRUE(bus.insert(mmio, 0xd000'0000, 0x1000).ok());
  std::array<uint8_t, 4> value{0x12, 0x34, 0x56, 0x78};
  EXPECT_TRUE(bus.write(0x64, std::span(value).first(1)));
  EXPECT_EQ(shared->last_offset, 0u);
  EXPECT_EQ(shared->last_value, 0x12);
  EXPECT_TRUE(bus.write(0xd000'0070, value));
  EXPECT_EQ(mmio->last_offset, 0x70u);
  EXPECT_EQ(mmio->last_size, 4u);
  EXPECT_TRUE(bus.read(0xd000'0ffc, value));
  EXPECT_EQ(value[0], 0xfc);
  EXPECT_EQ(shared->writes, 1);
}

TEST(Bus, RemoveUnmaps) {
  Bus bus;
  ASSERT_TRUE(bus.insert(device(), 0x3f8, 8).ok());
  auto missing = bus.remove(0x3f9);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), BusErrc::kNotFound);
  EXPECT_EQ(missing.error().context(), "no bus range starts at 0x3f9");
  ASSERT_TRUE(bus.remove(0x3f8).ok());
  std::array<uint8_t, 1> byte{};
  EXPECT_FALSE(bus.read(0x3f8, byte));
  EXPECT_TRUE(bus.insert(device(), 0x3f8, 8).ok());  // free again
}

// Counts reads only, so concurrent callers share no plain state.
class CountingDevice final : public BusDevice {
 public:
  void read(uint64_t, std::span<uint8_t> data) override {
    reads.fetch_add(1, std::memory_order_relaxed);
    data[0] = 1;
  }
  void write(uint64_t, std::span<const uint8_t>) override {}
  std::atomic<int> reads{0};
};

TEST(Bus, ConcurrentReadsFromManyThreads) {
  Bus bus;
  std::vector<std::shared_ptr<CountingDevice>> devices;
  for (uint64_t i = 0; i < 64; ++i) {
    devices.push_back(std::make_shared<CountingDevice>());
    ASSERT_TRUE(bus.insert(devices.back(), i * 0x10, 0x8).ok());
  }
  std::atomic<int> wrong{0};
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::array<uint8_t, 1> byte{};
      for (uint64_t i = 0; i < 20'000; ++i) {
        uint64_t address = (i * 7) % 0x400;
        bool hit = bus.read(address, byte);
        if (hit != (address % 0x10 < 8)) wrong++;
        if (hit) hits++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  int total = 0;
  for (auto& dev : devices) total += dev->reads;
  EXPECT_EQ(total, hits);
  EXPECT_GT(total, 0);
}

}  // namespace
}  // namespace vmm
