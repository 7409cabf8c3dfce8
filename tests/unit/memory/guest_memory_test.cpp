// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm {
namespace {

constexpr uint64_t kPage = 4096;

GuestMemory make(std::initializer_list<RegionSpec> specs) {
  auto memory = GuestMemory::create(std::vector<RegionSpec>(specs));
  EXPECT_TRUE(memory.ok()) << memory.error().message();
  return std::move(memory).value();
}

Error create_error(std::initializer_list<RegionSpec> specs, MemoryOptions options = {}) {
  auto memory = GuestMemory::create(std::vector<RegionSpec>(specs), options);
  EXPECT_FALSE(memory.ok());
  return memory.ok() ? Error({}, "unexpected success") : std::move(memory).error();
}

TEST(GuestMemoryCreate, RejectsInvalidRegions) {
  EXPECT_EQ(create_error({}).code(), MemoryErrc::kInvalidRegion);
  EXPECT_EQ(create_error({{GuestAddress(0), 0}}).code(), MemoryErrc::kInvalidRegion);
  EXPECT_EQ(create_error({{GuestAddress(0x800), kPage}}).code(), MemoryErrc::kInvalidRegion);
  EXPECT_EQ(create_error({{GuestAddress(0), kPage + 1}}).code(), MemoryErrc::kInvalidRegion);
  Error overlap = create_error({{GuestAddress(0x4000), kPage}, {GuestAddress(0), 0x5000}});
  EXPECT_EQ(overlap.code(), MemoryErrc::kInvalidRegion);
  EXPECT_NE(overlap.message().find("overlaps the region at 0x0"), std::string::npos) << overlap.message();
  Error wrap = create_error({{GuestAddress(~uint64_t{0} - kPage + 1), kPage}});
  EXPECT_NE(wrap.message().find("wraps"), std::string::npos) << wrap.message();
}

TEST(GuestMemoryCreate, SortsRegionsAndReportsSizes) {
  GuestMemory memory = make({{GuestAddress(0x10000), 2 * kPage}, {GuestAddress(0), kPage}});
  ASSERT_EQ(memory.regions().size(), 2u);
  EXPECT_EQ(memory.regions()[0].start(), GuestAddress(0));
  EXPECT_EQ(memory.regions()[1].start(), GuestAddress(0x10000));
  EXPECT_EQ(memory.regions()[1].end(), GuestAddress(0x12000));
  EXPECT_NE(memory.regions()[0].host_address(), 0u);
  EXPECT_EQ(memory.regions()[0].host_address() % kPage, 0u);
  EXPECT_EQ(memory.total_size(), 3 * kPage);
  EXPECT_EQ(memory.end(), GuestAddress(0x12000));
}

TEST(GuestMemoryCreate, TopOfAddressSpaceWithoutWrapIsValid) {
  GuestMemory memory = make({{GuestAddress(~uint64_t{0} - 2 * kPage + 1), kPage}});
  EXPECT_EQ(memory.end().value(), ~uint64_t{0} - kPage + 1);
}

TEST(GuestMemoryCreate, HugePagesNeedTwoMiBAlignmentAndFailCleanly) {
  EXPECT_EQ(create_error({{GuestAddress(0), kPage}}, {.hugepages = true}).code(), MemoryErrc::kInvalidRegion);
  auto memory = GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), 2 << 20}}, {.hugepages = true});
  if (memory.ok())
    GTEST_SKIP() << "huge pages are reserved on this machine; the failure path is not exercised";
  EXPECT_EQ(memory.error().code(), MemoryErrc::kMapFailed);
  EXPECT_NE(memory.error().message().find("vm.nr_hugepages"), std::string::npos) << memory.error().message();
}

TEST(GuestMemoryAccess, WriteThenReadRoundTrips) {
  GuestMemory memory = make({{GuestAddress(0), 4 * kPage}});
  std::array<uint8_t, 5> in{1, 2, 3, 4, 5};
  ASSERT_TRUE(memory.write(GuestAddress(0x123), in).ok());
  std::array<uint8_t, 5> out{};
  ASSERT_TRUE(memory.read(GuestAddress(0x123), out).ok());
  EXPECT_EQ(in, out);
  ASSERT_TRUE(memory.write_obj<uint64_t>(GuestAddress(4 * kPage - 8), 0x1122334455667788).ok());
  auto value = memory.read_obj<uint64_t>(GuestAddress(4 * kPage - 8));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 0x1122334455667788u);
}

TEST(GuestMemoryAccess, PastTheEndIsOutOfBoundsNamingTheAddress) {
  GuestMemory memory = make({{GuestAddress(0), kPage}});
  auto result = memory.read_obj<uint32_t>(GuestAddress(kPage - 2));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), MemoryErrc::kOutOfBounds);
  EXPECT_EQ(result.error().context(),
            "guest memory access of 4 bytes at 0xffe: guest address 0x1000 is not RAM");
  EXPECT_FALSE(memory.write_obj<uint8_t>(GuestAddress(0x5000), 1).ok());
}

TEST(GuestMemoryAccess, SpansTouchingRegions) {
  GuestMemory memory = make({{GuestAddress(0), kPage}, {GuestAddress(kPage), kPage}});
  std::vector<uint8_t> in(64);
  std::iota(in.begin(), in.end(), 0);
  ASSERT_TRUE(memory.write(GuestAddress(kPage - 10), in).ok());
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage - 1)), 9);
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage)), 10);
  std::vector<uint8_t> out(64);
  ASSERT_TRUE(memory.read(GuestAddress(kPage - 10), out).ok());
  EXPECT_EQ(in, out);
  EXPECT_TRUE(memory.contains_range(GuestAddress(0), 2 * kPage));
}

TEST(GuestMemoryAccess, GapIsAnErrorAndChangesNothing) {
  GuestMemory memory = make({{GuestAddress(0), kPage}, {GuestAddress(2 * kPage), kPage}});
  std::array<uint8_t, 8> in{1, 1, 1, 1, 1, 1, 1, 1};
  auto result = memory.write(GuestAddress(kPage - 4), in);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), MemoryErrc::kOutOfBounds);
  EXPECT_NE(result.error().message().find("guest address 0x1000 is not RAM"), std::string::npos);
  EXPECT_EQ(*memory.read_obj<uint32_t>(GuestAddress(kPage - 4)), 0u);
  EXPECT_FALSE(memory.fill_zero(GuestAddress(kPage), 1).ok());
  EXPECT_FALSE(memory.contains_range(GuestAddress(0), 2 * kPage + 1));
}

TEST(GuestMemoryAccess, WrapAroundIsRejected) {
  uint64_t start = ~uint64_t{0} - 2 * kPage + 1;
  GuestMemory memory = make({{GuestAddress(start), kPage}});
  std::array<uint8_t, 16> buffer{};
  EXPECT_FALSE(memory.read(GuestAddress(start + kPage - 8), buffer).ok());
  EXPECT_FALSE(memory.contains_range(GuestAddress(start), ~uint64_t{0}));
  EXPECT_FALSE(memory.fill_zero(GuestAddress(start), ~uint64_t{0}).ok());
  EXPECT_FALSE(memory.read(GuestAddress(~uint64_t{0} - 3), buffer).ok());
}

TEST(GuestMemoryAccess, EmptyRangeSemantics) {
  GuestMemory memory = make({{GuestAddress(0x1000), kPage}});
  EXPECT_TRUE(memory.contains_range(GuestAddress(0x1000), 0));
  EXPECT_TRUE(memory.contains_range(GuestAddress(0x2000), 0));  // at the end
  EXPECT_FALSE(memory.contains_range(GuestAddress(0x2001), 0));
  EXPECT_FALSE(memory.contains_range(GuestAddress(0), 0));
  EXPECT_TRUE(memory.read(GuestAddress(0x2000), {}).ok());
}

TEST(GuestMemoryAccess, FillZeroAcrossRegions) {
  GuestMemory memory = make({{GuestAddress(0), kPage}, {GuestAddress(kPage), kPage}});
  std::vector<uint8_t> ones(2 * kPage, 0xff);
  ASSERT_TRUE(memory.write(GuestAddress(0), ones).ok());
  ASSERT_TRUE(memory.fill_zero(GuestAddress(100), 2 * kPage - 200).ok());
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(99)), 0xff);
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(100)), 0);
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(2 * kPage - 101)), 0);
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(2 * kPage - 100)), 0xff);
}

TEST(GuestMemoryAccess, SurvivesMoves) {
  GuestMemory memory = make({{GuestAddress(0), kPage}});
  ASSERT_TRUE(memory.write_obj<uint16_t>(GuestAddress(2), 0xabcd).ok());
  GuestMemory moved = std::move(memory);
  EXPECT_EQ(*moved.read_obj<uint16_t>(GuestAddress(2)), 0xabcd);
}

// A memfd holding `size` bytes 0, 1, 2, ... (mod 256).
Fd file_with_pattern(size_t size) {
  Fd fd(memfd_create("guest-memory-test", MFD_CLOEXEC));
  EXPECT_TRUE(fd.valid());
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i);
  EXPECT_TRUE(write_all(fd.get(), bytes.data(), bytes.size()).ok());
  return fd;
}

TEST(GuestMemoryReadFromFd, CopiesAcrossRegionsFromAnOffset) {
  GuestMemory memory = make({{GuestAddress(0), kPage}, {GuestAddress(kPage), kPage}});
  Fd file = file_with_pattern(3000);
  ASSERT_TRUE(memory.read_from_fd(GuestAddress(kPage - 1000), file.get(), 10, 2000).ok());
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage - 1000)), 10);
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage)), static_cast<uint8_t>(1010));
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage + 999)), static_cast<uint8_t>(2009));
  EXPECT_EQ(*memory.read_obj<uint8_t>(GuestAddress(kPage + 1000)), 0);
}

TEST(GuestMemoryReadFromFd, ShortFileIsAnError) {
  GuestMemory memory = make({{GuestAddress(0), kPage}});
  Fd file = file_with_pattern(100);
  auto result = memory.read_from_fd(GuestAddress(0), file.get(), 0, 200);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), MemoryErrc::kShortRead);
  EXPECT_EQ(result.error().context(), "file ends at offset 100, 100 bytes short");
}

TEST(GuestMemoryReadFromFd, RejectsBadRangesBeforeReading) {
  GuestMemory memory = make({{GuestAddress(0), kPage}});
  Fd file = file_with_pattern(100);
  EXPECT_EQ(memory.read_from_fd(GuestAddress(kPage - 10), file.get(), 0, 20).error().code(),
            MemoryErrc::kOutOfBounds);
  EXPECT_EQ(memory.read_from_fd(GuestAddress(0), file.get(), ~uint64_t{0} - 5, 10).error().code(),
            MemoryErrc::kOutOfBounds);
  auto bad_fd = memory.read_from_fd(GuestAddress(0), -1, 0, 10);
  ASSERT_FALSE(bad_fd.ok());
  EXPECT_EQ(bad_fd.error().code(), std::errc::bad_file_descriptor);
}

TEST(GuestMemoryWriteToFd, CopiesAcrossRegionsToAnOffset) {
  GuestMemory memory = make({{GuestAddress(0), kPage}, {GuestAddress(kPage), kPage}});
  std::vector<uint8_t> pattern(2000);
  std::iota(pattern.begin(), pattern.end(), uint8_t{7});
  ASSERT_TRUE(memory.write(GuestAddress(kPage - 1000), pattern).ok());
  Fd file(memfd_create("guest-memory-test", MFD_CLOEXEC));
  ASSERT_TRUE(file.valid());
  ASSERT_TRUE(memory.write_to_fd(GuestAddress(kPage - 1000), file.get(), 10, 2000).ok());
  std::vector<uint8_t> back(2010);
  ASSERT_EQ(::pread(file.get(), back.data(), back.size(), 0), 2010);
  EXPECT_EQ(back[0], 0);  // the hole before the offset
  EXPECT_TRUE(std::equal(pattern.begin(), pattern.end(), back.begin() + 10));
}

TEST(GuestMemoryWriteToFd, RejectsBadRangesBeforeWriting) {
  GuestMemory memory = make({{GuestAddress(0), kPage}});
  Fd file(memfd_create("guest-memory-test", MFD_CLOEXEC));
  EXPECT_EQ(memory.write_to_fd(GuestAddress(kPage - 10), file.get(), 0, 20).error().code(),
            MemoryErrc::kOutOfBounds);
  EXPECT_EQ(memory.write_to_fd(GuestAddress(0), file.get(), ~uint64_t{0} - 5, 10).error().code(),
            MemoryErrc::kOutOfBounds);
  struct stat st {};
  ASSERT_EQ(::fstat(file.get(), &st), 0);
  EXPECT_EQ(st.st_size, 0);  // nothing written
  auto bad_fd = memory.write_to_fd(GuestAddress(0), -1, 0, 10);
  ASSERT_FALSE(bad_fd.ok());
  EXPECT_EQ(bad_fd.error().code(), std::errc::bad_file_descriptor);
}

}  // namespace
}  // namespace vmm
