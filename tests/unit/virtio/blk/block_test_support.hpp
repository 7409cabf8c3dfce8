// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A BlockDevice over a temporary image, driven through MockQueue: requests
// are laid out in guest memory the way a driver would (§5.2.6).
#pragma once

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <vmm/base/bytes.hpp>
#include <vmm/base/fd.hpp>
#include <vmm/virtio/block.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio::blk {

using testing::Buffer;

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override { ++config; }
  void needs_reset() override { ++resets; }
  int used = 0, config = 0, resets = 0;
};

// A temporary file removed when dropped.
class TempImage {
 public:
  explicit TempImage(uint64_t size, bool pattern = true) {
    char name[] = "/tmp/vmm-blk-test-XXXXXX";
    int fd = ::mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    fd_ = Fd(fd);
    std::vector<uint8_t> bytes(size);
    for (uint64_t i = 0; i < size; ++i) bytes[i] = pattern ? byte_at(i) : 0;
    EXPECT_TRUE(write_all(fd, bytes.data(), bytes.size()).ok());
  }
  ~TempImage() { ::unlink(path_.c_str()); }
  TempImage(const TempImage&) = delete;
  TempImage& operator=(const TempImage&) = delete;

  // The initial content: a pattern that differs per sector and per byte.
  static uint8_t byte_at(uint64_t offset) { return static_cast<uint8_t>(offset * 7 + offset / 512); }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::vector<uint8_t> read(uint64_t offset, size_t len) const {
    std::vector<uint8_t> out(len);
    EXPECT_EQ(::pread(fd_.get(), out.data(), len, static_cast<off_t>(offset)), static_cast<ssize_t>(len));
    return out;
  }

 private:
  std::string path_;
  Fd fd_;
};

inline constexpr uint64_t kSectors = 64;  // 32 KiB image
inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kRings = 0x1000;
inline constexpr uint64_t kHeader = 0x10000;    // request headers
inline constexpr uint64_t kData = 0x20000;      // data buffers
inline constexpr uint64_t kStatus = 0x40000;    // status bytes
inline constexpr uint64_t kIndirect = 0x50000;  // indirect tables
inline constexpr uint8_t kUntouched = 0xee;     // status byte before the device writes it

struct BlockDeviceTest : ::testing::Test {
  explicit BlockDeviceTest(BlockOptions options = {}, uint64_t image_bytes = kSectors * 512,
                           uint16_t queue_size = 16)
      : image(image_bytes),
        memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), kRamSize}}).value()),
        loop(EventLoop::create().value()),
        driver(memory, GuestAddress(kRings), queue_size) {
    options.path = image.path();
    auto created = BlockDevice::create(options, [this] { return now_ns; });
    EXPECT_TRUE(created.ok()) << created.error().message();
    device = std::move(created).value();
    EXPECT_TRUE(device->attach_to(loop).ok());
  }
  ~BlockDeviceTest() override { device->detach_from(loop); }

  void activate(bool event_idx = false) {
    std::vector<Queue> queues;
    queues.push_back(Queue::create(BlockDevice::kQueueSize).value());
    driver.configure(queues[0], event_idx);
    ASSERT_TRUE(device->activate(memory, std::move(queues), device->features(), signals).ok());
    run();
  }
  // The driver's notification, then one round of the event loop.
  void kick() {
    ASSERT_TRUE(device->queue_event(0).write(1).ok());
    run();
  }
  void run(int timeout_ms = 0) { ASSERT_TRUE(loop.run_once(timeout_ms).ok()); }

  void write_header(uint64_t addr, uint32_t type, uint64_t sector) {
    std::array<uint8_t, 16> header{};
    (void)store_le<uint32_t>(header, 0, type);
    (void)store_le<uint64_t>(header, 8, sector);
    ASSERT_TRUE(memory.write(GuestAddress(addr), header).ok());
  }
  // header (readable) + data + status byte (writable); returns the head.
  // Each request gets its own header slot, so several can be in flight.
  uint16_t submit(RequestType type, uint64_t sector, std::vector<Buffer> data, uint64_t status = kStatus) {
    uint64_t header = kHeader + 16 * (next_header_++ % 256);
    write_header(header, static_cast<uint32_t>(type), sector);
    (void)memory.write_obj<uint8_t>(GuestAddress(status), kUntouched);
    std::vector<Buffer> chain{{header, 16, false}};
    chain.insert(chain.end(), data.begin(), data.end());
    chain.push_back({status, 1, true});
    return driver.add_chain(chain);
  }
  // One discard / write-zeroes segment at `addr`.
  void write_segment(uint64_t addr, uint64_t sector, uint32_t sectors, uint32_t flags) {
    std::array<uint8_t, 16> segment{};
    (void)store_le<uint64_t>(segment, 0, sector);
    (void)store_le<uint32_t>(segment, 8, sectors);
    (void)store_le<uint32_t>(segment, 12, flags);
    ASSERT_TRUE(memory.write(GuestAddress(addr), segment).ok());
  }

  [[nodiscard]] uint8_t status(uint64_t addr = kStatus) const {
    return memory.read_obj<uint8_t>(GuestAddress(addr)).value();
  }
  [[nodiscard]] std::vector<uint8_t> guest(uint64_t addr, size_t len) const {
    std::vector<uint8_t> out(len);
    EXPECT_TRUE(memory.read(GuestAddress(addr), out).ok());
    return out;
  }
  void fill_guest(uint64_t addr, size_t len, uint8_t seed) {
    std::vector<uint8_t> bytes(len);
    for (size_t i = 0; i < len; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 13);
    ASSERT_TRUE(memory.write(GuestAddress(addr), bytes).ok());
  }
  // The last completion: its head, its used length.
  [[nodiscard]] testing::UsedElem last_used() const {
    return driver.used(static_cast<uint16_t>(driver.used_idx() - 1));
  }

  uint64_t next_header_ = 1;  // slot 0 (kHeader) is left to tests that lay out chains themselves
  uint64_t now_ns = 1'000'000'000;
  TempImage image;
  GuestMemory memory;
  EventLoop loop;
  std::shared_ptr<BlockDevice> device;
  testing::MockQueue driver;
  RecordingSignals signals;
};

inline std::vector<uint8_t> image_pattern(uint64_t offset, size_t len) {
  std::vector<uint8_t> out(len);
  for (size_t i = 0; i < len; ++i) out[i] = TempImage::byte_at(offset + i);
  return out;
}

}  // namespace vmm::virtio::blk
