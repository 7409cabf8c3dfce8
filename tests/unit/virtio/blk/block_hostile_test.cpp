// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Hostile requests: every bad value gets an error status (or, without a
// status byte or a walkable chain, used length 0), the image is untouched,
// and the next correct request still works. A broken ring is NEEDS_RESET.
#include "block_test_support.hpp"

namespace vmm::virtio::blk {
namespace {

constexpr auto kIoErr = static_cast<uint8_t>(Status::kIoErr);
constexpr auto kUnsupp = static_cast<uint8_t>(Status::kUnsupp);
constexpr uint64_t kOutsideRam = kRamSize + 0x1000;

struct BlockHostileTest : BlockDeviceTest {
  BlockHostileTest() { activate(); }

  // The request completed with `status` and used length 1.
  void expect_status(uint8_t want) {
    kick();
    EXPECT_EQ(status(), want);
    EXPECT_EQ(last_used().len, 1u);
  }
  // Completed without a status byte: used length 0.
  void expect_unused(uint16_t head) {
    kick();
    ASSERT_GT(driver.used_idx(), 0);
    EXPECT_EQ(last_used().id, head);
    EXPECT_EQ(last_used().len, 0u);
  }
  void expect_still_works() {
    uint16_t before = driver.used_idx();
    submit(RequestType::kIn, 2, {{kData + 0x4000, 512, true}}, kStatus + 8);
    kick();
    ASSERT_EQ(driver.used_idx(), before + 1);
    EXPECT_EQ(status(kStatus + 8), static_cast<uint8_t>(Status::kOk));
    EXPECT_EQ(guest(kData + 0x4000, 512), image_pattern(1024, 512));
    EXPECT_TRUE(device->failure().empty());
  }
  void expect_image_untouched() {
    EXPECT_EQ(image.read(0, kSectors * 512), image_pattern(0, kSectors * 512));
  }
};

TEST_F(BlockHostileTest, SectorOverflowIsIoErr) {
  submit(RequestType::kIn, uint64_t{1} << 55, {{kData, 512, true}});  // sector * 512 wraps
  expect_status(kIoErr);
  submit(RequestType::kOut, (uint64_t{1} << 55) - 1, {{kData, 1024, false}});  // + length wraps
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, PastCapacityIsIoErr) {
  submit(RequestType::kIn, kSectors - 1, {{kData, 1024, true}});
  expect_status(kIoErr);
  submit(RequestType::kOut, kSectors, {{kData, 512, false}});
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, LengthNotAMultipleOf512IsIoErr) {
  submit(RequestType::kIn, 0, {{kData, 500, true}});
  expect_status(kIoErr);
  submit(RequestType::kOut, 0, {{kData, 512, false}, {kData + 512, 1, false}});
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, ShortHeaderIsIoErr) {
  write_header(kHeader, static_cast<uint32_t>(RequestType::kIn), 0);
  (void)memory.write_obj<uint8_t>(GuestAddress(kStatus), kUntouched);
  std::vector<Buffer> chain{{kHeader, 8, false}, {kData, 512, true}, {kStatus, 1, true}};
  driver.add_chain(chain);
  expect_status(kIoErr);
  expect_still_works();
}

TEST_F(BlockHostileTest, UnknownTypeIsUnsupported) {
  write_header(kHeader, 99, 0);
  std::vector<Buffer> chain{{kHeader, 16, false}, {kStatus, 1, true}};
  driver.add_chain(chain);
  expect_status(kUnsupp);
  expect_still_works();
}

TEST_F(BlockHostileTest, HeaderOnlyRequestCompletesWithLengthZero) {
  write_header(kHeader, static_cast<uint32_t>(RequestType::kOut), 0);
  std::vector<Buffer> chain{{kHeader, 16, false}};
  expect_unused(driver.add_chain(chain));
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, RequestWithoutAStatusByteCompletesWithLengthZero) {
  // The last writable buffer is empty, or outside guest RAM.
  uint16_t empty = submit(RequestType::kIn, 0, {{kData, 512, true}}, kStatus);
  driver.write_descriptor(static_cast<uint16_t>(empty + 2), RawDescriptor{kStatus, 0, kDescFWrite, 0});
  expect_unused(empty);
  uint16_t outside = submit(RequestType::kIn, 0, {{kData, 512, true}}, kStatus);
  driver.write_descriptor(static_cast<uint16_t>(outside + 2), RawDescriptor{kOutsideRam, 1, kDescFWrite, 0});
  expect_unused(outside);
  expect_still_works();
}

TEST_F(BlockHostileTest, BuffersOutsideGuestRamAreIoErr) {
  submit(RequestType::kIn, 0, {{kOutsideRam, 512, true}});
  expect_status(kIoErr);
  submit(RequestType::kOut, 0, {{kRamSize - 256, 512, false}});  // straddles the end of RAM
  expect_status(kIoErr);
  // A header outside RAM.
  (void)memory.write_obj<uint8_t>(GuestAddress(kStatus), kUntouched);
  std::vector<Buffer> chain{{kOutsideRam, 16, false}, {kStatus, 1, true}};
  driver.add_chain(chain);
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, HugeDescriptorIsIoErrWithoutAllocating) {
  submit(RequestType::kIn, 0, {{kData, 0xffff'fe00, true}});
  expect_status(kIoErr);
  submit(RequestType::kOut, 0, {{kData, 0xffff'fe00, false}});
  expect_status(kIoErr);
  write_segment(kData, 0, 0xffff'ffff, 0);
  submit(RequestType::kWriteZeroes, 0, {{kData, 16, false}});
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, BadDiscardAndWriteZeroesSegments) {
  write_segment(kData, 0, 1, kDiscardFlagUnmap);  // §5.2.6.2: unmap on a discard is UNSUPP
  submit(RequestType::kDiscard, 0, {{kData, 16, false}});
  expect_status(kUnsupp);
  write_segment(kData, 0, 1, 2);  // unknown flag
  submit(RequestType::kWriteZeroes, 0, {{kData, 16, false}});
  expect_status(kUnsupp);
  write_segment(kData, 0, 1, 0);
  write_segment(kData + 16, 2, 1, 0);
  submit(RequestType::kDiscard, 0, {{kData, 32, false}});  // two segments: max_discard_seg is 1
  expect_status(kIoErr);
  submit(RequestType::kWriteZeroes, 0, {});  // no segment
  expect_status(kIoErr);
  submit(RequestType::kDiscard, 0, {{kData, 15, false}});
  expect_status(kIoErr);
  write_segment(kData, kSectors - 1, 2, 0);  // past capacity
  submit(RequestType::kWriteZeroes, 0, {{kData, 16, false}});
  expect_status(kIoErr);
  write_segment(kData, ~uint64_t{0}, 1, 0);  // sector overflow
  submit(RequestType::kDiscard, 0, {{kData, 16, false}});
  expect_status(kIoErr);
  expect_image_untouched();
  expect_still_works();
}

// §2.7.5: chains that cannot be walked are returned with used length 0.
TEST_F(BlockHostileTest, UnwalkableChainsCompleteWithLengthZero) {
  write_header(kHeader, static_cast<uint32_t>(RequestType::kOut), 0);
  const std::vector<std::vector<RawDescriptor>> broken{
      {{kHeader, 16, kDescFNext, 12}},   // loop onto itself
      {{kHeader, 16, kDescFNext, 200}},  // next outside the table
      {{kIndirect, 32, kDescFIndirect | kDescFNext, 13}, {kStatus, 1, kDescFWrite, 0}},  // INDIRECT|NEXT
      {{kIndirect, 20, kDescFIndirect, 0}},                               // table length not 16n
      {{kStatus, 1, kDescFWrite | kDescFNext, 13}, {kHeader, 16, 0, 0}},  // readable after writable
      {{~uint64_t{0} - 4, 16, 0, 0}},                                     // wraps past 2^64
  };
  // An indirect table naming another indirect table (nested).
  driver.write_descriptor(GuestAddress(kIndirect), 0, RawDescriptor{kIndirect, 16, kDescFIndirect, 0});
  driver.write_descriptor(GuestAddress(kIndirect), 1, RawDescriptor{kStatus, 1, kDescFWrite, 0});
  for (const auto& descriptors : broken) {
    for (size_t i = 0; i < descriptors.size(); ++i)
      driver.write_descriptor(static_cast<uint16_t>(12 + i), descriptors[i]);
    driver.publish(12);
    expect_unused(12);
  }
  driver.write_descriptor(12, RawDescriptor{kIndirect, 16, kDescFIndirect, 0});  // nested
  driver.publish(12);
  expect_unused(12);
  EXPECT_EQ(signals.resets, 0);
  expect_image_untouched();
  expect_still_works();
}

TEST_F(BlockHostileTest, AvailIndexTooFarNeedsReset) {
  driver.set_avail_idx(17);  // 17 new entries in a queue of 16
  kick();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure().find("virtio-blk request queue"), std::string::npos) << device->failure();
  EXPECT_EQ(driver.used_idx(), 0);
  kick();  // stays stopped until reset
  EXPECT_EQ(driver.used_idx(), 0);
  device->reset();
  EXPECT_FALSE(device->active());
}

TEST_F(BlockHostileTest, HeadOutsideTheTableNeedsReset) {
  driver.publish(16);
  kick();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_FALSE(device->failure().empty());
}

TEST_F(BlockDeviceTest, QueueNotMadeReadyIsIgnored) {
  std::vector<Queue> queues;
  queues.push_back(Queue::create(BlockDevice::kQueueSize).value());
  ASSERT_TRUE(device->activate(memory, std::move(queues), device->features(), signals).ok());
  run();
  kick();
  EXPECT_EQ(signals.resets, 0);
  EXPECT_EQ(signals.used, 0);
}

}  // namespace
}  // namespace vmm::virtio::blk
