// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Well-formed requests (VIRTIO 1.2 §5.2.6): read, write, flush, get-id,
// discard, write-zeroes, over direct, indirect and oddly framed chains.
#include "block_test_support.hpp"

namespace vmm::virtio::blk {
namespace {

constexpr auto kOk = static_cast<uint8_t>(Status::kOk);

TEST_F(BlockDeviceTest, ReadsSectorsIntoSeveralBuffers) {
  activate();
  // Two sectors from sector 3, split 700 + 324 bytes across two buffers.
  uint16_t head = submit(RequestType::kIn, 3, {{kData, 700, true}, {kData + 0x1000, 324, true}});
  kick();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(last_used().id, head);
  EXPECT_EQ(last_used().len, 1024u + 1);  // data + status (§5.2.6)
  EXPECT_EQ(status(), kOk);
  auto expected = image_pattern(3 * 512, 1024);
  EXPECT_EQ(guest(kData, 700), std::vector<uint8_t>(expected.begin(), expected.begin() + 700));
  EXPECT_EQ(guest(kData + 0x1000, 324), std::vector<uint8_t>(expected.begin() + 700, expected.end()));
  EXPECT_EQ(signals.used, 1);
}

TEST_F(BlockDeviceTest, WritesSectorsFromSeveralBuffers) {
  activate();
  fill_guest(kData, 512, 1);
  fill_guest(kData + 0x1000, 1024, 2);
  submit(RequestType::kOut, kSectors - 3, {{kData, 512, false}, {kData + 0x1000, 1024, false}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(last_used().len, 1u);  // only the status byte is written
  EXPECT_EQ(image.read((kSectors - 3) * 512, 512), guest(kData, 512));
  EXPECT_EQ(image.read((kSectors - 2) * 512, 1024), guest(kData + 0x1000, 1024));
  EXPECT_EQ(image.read((kSectors - 4) * 512, 512),
            image_pattern((kSectors - 4) * 512, 512));  // neighbour untouched
  // And it reads back through the device.
  submit(RequestType::kIn, kSectors - 3, {{kData + 0x8000, 1536, true}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(guest(kData + 0x8000, 512), guest(kData, 512));
}

TEST_F(BlockDeviceTest, ServesIndirectChains) {
  activate();
  write_header(kHeader, static_cast<uint32_t>(RequestType::kIn), 10);
  std::vector<Buffer> table{
      {kHeader, 16, false}, {kData, 512, true}, {kData + 0x1000, 512, true}, {kStatus, 1, true}};
  uint16_t head = driver.add_indirect_chain(GuestAddress(kIndirect), table);
  kick();
  EXPECT_EQ(last_used().id, head);
  EXPECT_EQ(last_used().len, 1025u);
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(guest(kData + 0x1000, 512), image_pattern(11 * 512, 512));
}

TEST_F(BlockDeviceTest, AcceptsAnyFraming) {
  activate();
  // §2.7.4: the header split over two buffers; data and status in one buffer.
  write_header(kHeader, static_cast<uint32_t>(RequestType::kIn), 5);
  std::vector<Buffer> chain{{kHeader, 5, false}, {kHeader + 5, 11, false}, {kData, 513, true}};
  driver.add_chain(chain);
  kick();
  EXPECT_EQ(last_used().len, 513u);
  EXPECT_EQ(status(kData + 512), kOk);
  EXPECT_EQ(guest(kData, 512), image_pattern(5 * 512, 512));
}

TEST_F(BlockDeviceTest, ServesABatchWithOneNotification) {
  activate();
  for (int i = 0; i < 5; ++i)
    submit(RequestType::kIn, static_cast<uint64_t>(i), {{kData + 0x1000u * i, 512, true}});
  kick();
  EXPECT_EQ(driver.used_idx(), 5);
  EXPECT_EQ(signals.used, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(guest(kData + 0x1000u * i, 512), image_pattern(512u * i, 512));
}

TEST_F(BlockDeviceTest, EventIdxAsksForTheNextNotification) {
  activate(/*event_idx=*/true);
  submit(RequestType::kFlush, 0, {});
  driver.set_used_event(0);
  kick();
  EXPECT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(signals.used, 1);
  EXPECT_EQ(driver.avail_event(), 1);  // §2.7.10: notify us when avail.idx passes 1
}

TEST_F(BlockDeviceTest, FlushAndGetId) {
  activate();
  submit(RequestType::kFlush, 0, {});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(last_used().len, 1u);
  submit(RequestType::kGetId, 0, {{kData, 20, true}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(last_used().len, 21u);
  auto id = guest(kData, 20);
  EXPECT_TRUE(std::equal(id.begin(), id.end(), device->id().begin()));
  // A short buffer gets what fits.
  fill_guest(kData + 0x100, 8, 0);
  submit(RequestType::kGetId, 0, {{kData + 0x100, 7, true}});
  kick();
  EXPECT_EQ(last_used().len, 8u);
  EXPECT_EQ(guest(kData + 0x100, 7), std::vector<uint8_t>(id.begin(), id.begin() + 7));
}

TEST_F(BlockDeviceTest, DiscardedSectorsReadAsZeroes) {
  activate();
  write_segment(kData, 8, 16, 0);
  submit(RequestType::kDiscard, 0, {{kData, 16, false}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(image.read(8 * 512, 16 * 512), std::vector<uint8_t>(16 * 512, 0));
  EXPECT_EQ(image.read(7 * 512, 512), image_pattern(7 * 512, 512));
  EXPECT_EQ(image.read(24 * 512, 512), image_pattern(24 * 512, 512));
}

TEST_F(BlockDeviceTest, WriteZeroesWithAndWithoutUnmap) {
  activate();
  write_segment(kData, 1, 2, 0);
  submit(RequestType::kWriteZeroes, 0, {{kData, 16, false}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(image.read(512, 1024), std::vector<uint8_t>(1024, 0));
  write_segment(kData, 40, 8, kDiscardFlagUnmap);
  submit(RequestType::kWriteZeroes, 0, {{kData, 16, false}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(image.read(40 * 512, 8 * 512), std::vector<uint8_t>(8 * 512, 0));
  EXPECT_EQ(image.read(48 * 512, 512), image_pattern(48 * 512, 512));
  // Through the device as well.
  submit(RequestType::kIn, 40, {{kData + 0x1000, 512, true}});
  kick();
  EXPECT_EQ(guest(kData + 0x1000, 512), std::vector<uint8_t>(512, 0));
}

struct ReadOnlyBlockTest : BlockDeviceTest {
  ReadOnlyBlockTest() : BlockDeviceTest({.read_only = true}) {}
};

TEST_F(ReadOnlyBlockTest, RefusesEveryWriteButServesReads) {
  activate();
  fill_guest(kData, 512, 9);
  write_segment(kData + 0x1000, 0, 1, 0);
  for (RequestType type : {RequestType::kOut, RequestType::kDiscard, RequestType::kWriteZeroes}) {
    uint64_t data = type == RequestType::kOut ? kData : kData + 0x1000;
    submit(type, 0, {{data, type == RequestType::kOut ? 512u : 16u, false}});
    kick();
    EXPECT_EQ(status(), static_cast<uint8_t>(Status::kIoErr)) << static_cast<int>(type);
    EXPECT_EQ(last_used().len, 1u);
  }
  EXPECT_EQ(image.read(0, 512), image_pattern(0, 512));
  submit(RequestType::kIn, 0, {{kData, 512, true}});
  kick();
  EXPECT_EQ(status(), kOk);
  EXPECT_EQ(guest(kData, 512), image_pattern(0, 512));
}

struct DirectIoBlockTest : BlockDeviceTest {
  DirectIoBlockTest() : BlockDeviceTest({.direct_io = true}, 512 * 1024) {}
};

TEST_F(DirectIoBlockTest, UnalignedGuestBuffersGoThroughTheBounceBuffer) {
  activate();
  // 160 KiB (more than one bounce buffer) from odd guest addresses.
  constexpr uint32_t kLen = 160 * 1024;
  constexpr uint64_t kFar = 0xf0000;  // status bytes clear of the data
  fill_guest(kData + 3, kLen, 5);
  submit(RequestType::kOut, 1, {{kData + 3, 1000, false}, {kData + 1003, kLen - 1000, false}}, kFar);
  kick();
  ASSERT_EQ(status(kFar), kOk);
  EXPECT_EQ(image.read(512, kLen), guest(kData + 3, kLen));
  submit(RequestType::kIn, 1, {{0x80001, kLen, true}}, kFar);
  kick();
  ASSERT_EQ(status(kFar), kOk);
  EXPECT_EQ(last_used().len, kLen + 1);
  EXPECT_EQ(guest(0x80001, kLen), guest(kData + 3, kLen));
}

}  // namespace
}  // namespace vmm::virtio::blk
