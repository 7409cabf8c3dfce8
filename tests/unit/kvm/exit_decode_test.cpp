// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Exit decoding against a kvm_run page laid out by hand, as KVM would fill it.
#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <vector>

#include <vmm/kvm/error.hpp>

#include "exit_decode.hpp"

namespace vmm {
namespace {

using kvm_detail::decode_exit;

// A fake kvm_run mapping: the struct followed by room for PIO data, as
// KVM_GET_VCPU_MMAP_SIZE describes (kvm_run page + PIO page).
class FakeRun {
 public:
  static constexpr size_t kSize = 2 * 4096;
  FakeRun() : storage_(kSize / sizeof(uint64_t)) { run_ = ::new (storage_.data()) kvm_run{}; }
  kvm_run& run() { return *run_; }
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(run_); }
  Result<VcpuExit> decode() { return decode_exit(*run_, kSize); }

 private:
  std::vector<uint64_t> storage_;
  kvm_run* run_;
};

TEST(ExitDecode, IoOutSpansTheDataArea) {
  FakeRun fake;
  fake.run().exit_reason = KVM_EXIT_IO;
  fake.run().io = {KVM_EXIT_IO_OUT, 2, 0x3f8, 3, 4096};
  std::memcpy(fake.bytes() + 4096, "abcdef", 6);
  auto decoded = fake.decode();
  ASSERT_TRUE(decoded.ok());
  auto* out = std::get_if<exit::IoOut>(&*decoded);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->port, 0x3f8);
  EXPECT_EQ(out->size, 2);
  EXPECT_EQ(out->count, 3u);
  ASSERT_EQ(out->data.size(), 6u);
  EXPECT_EQ(out->data.data(), fake.bytes() + 4096);
  EXPECT_EQ(out->data[5], 'f');
}

TEST(ExitDecode, IoInDataIsWritableInPlace) {
  FakeRun fake;
  fake.run().exit_reason = KVM_EXIT_IO;
  fake.run().io = {KVM_EXIT_IO_IN, 1, 0x60, 1, 4096};
  auto decoded = fake.decode();
  ASSERT_TRUE(decoded.ok());
  auto* in = std::get_if<exit::IoIn>(&*decoded);
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->port, 0x60);
  ASSERT_EQ(in->data.size(), 1u);
  in->data[0] = 0x5a;
  EXPECT_EQ(fake.bytes()[4096], 0x5a);
}

TEST(ExitDecode, IoDataOutsideTheMappingIsRejected) {
  FakeRun fake;
  fake.run().exit_reason = KVM_EXIT_IO;
  fake.run().io = {KVM_EXIT_IO_OUT, 4, 0x80, 2, FakeRun::kSize - 4};  // 8 bytes, 4 fit
  auto decoded = fake.decode();
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code(), KvmErrc::kInvalidExit);
  EXPECT_EQ(decoded.error().context(),
            "KVM_EXIT_IO data: 8 bytes at offset 0x1ffc of a 8192-byte kvm_run mapping");
  fake.run().io = {KVM_EXIT_IO_OUT, 1, 0x80, 1, ~uint64_t{0}};  // offset itself out of range
  EXPECT_FALSE(fake.decode().ok());
  fake.run().io = {KVM_EXIT_IO_IN, 4, 0x80, 0xffffffff, 4096};  // huge rep count
  EXPECT_FALSE(fake.decode().ok());
  fake.run().io = {KVM_EXIT_IO_OUT, 1, 0x80, 1, FakeRun::kSize - 1};  // last byte: fine
  EXPECT_TRUE(fake.decode().ok());
}

TEST(ExitDecode, MmioReadAndWrite) {
  FakeRun fake;
  fake.run().exit_reason = KVM_EXIT_MMIO;
  fake.run().mmio.phys_addr = 0xd000'0000;
  fake.run().mmio.len = 4;
  fake.run().mmio.is_write = 1;
  std::memcpy(fake.run().mmio.data, "\x01\x02\x03\x04", 4);
  auto decoded = fake.decode();
  ASSERT_TRUE(decoded.ok());
  auto* write = std::get_if<exit::MmioWrite>(&*decoded);
  ASSERT_NE(write, nullptr);
  EXPECT_EQ(write->address, 0xd000'0000u);
  ASSERT_EQ(write->data.size(), 4u);
  EXPECT_EQ(write->data[3], 4);

  fake.run().mmio.is_write = 0;
  fake.run().mmio.len = 8;
  decoded = fake.decode();
  ASSERT_TRUE(decoded.ok());
  auto* read = std::get_if<exit::MmioRead>(&*decoded);
  ASSERT_NE(read, nullptr);
  ASSERT_EQ(read->data.size(), 8u);
  read->data[7] = 0xee;
  EXPECT_EQ(fake.run().mmio.data[7], 0xee);

  fake.run().mmio.len = 9;
  EXPECT_EQ(fake.decode().error().code(), KvmErrc::kInvalidExit);
}

TEST(ExitDecode, SimpleExits) {
  FakeRun fake;
  auto decode_reason = [&](uint32_t reason) {
    fake.run().exit_reason = reason;
    auto decoded = fake.decode();
    EXPECT_TRUE(decoded.ok());
    return decoded.ok() ? *decoded : VcpuExit(exit::Unknown{~0u});
  };
  EXPECT_TRUE(std::holds_alternative<exit::Hlt>(decode_reason(KVM_EXIT_HLT)));
  EXPECT_TRUE(std::holds_alternative<exit::Shutdown>(decode_reason(KVM_EXIT_SHUTDOWN)));
  EXPECT_TRUE(std::holds_alternative<exit::Interrupted>(decode_reason(KVM_EXIT_INTR)));
  EXPECT_TRUE(std::holds_alternative<exit::Debug>(decode_reason(KVM_EXIT_DEBUG)));
  auto unknown = decode_reason(KVM_EXIT_HYPERCALL);
  ASSERT_TRUE(std::holds_alternative<exit::Unknown>(unknown));
  EXPECT_EQ(std::get<exit::Unknown>(unknown).reason, uint32_t{KVM_EXIT_HYPERCALL});
}

TEST(ExitDecode, ExitsWithPayload) {
  FakeRun fake;
  fake.run().exit_reason = KVM_EXIT_SYSTEM_EVENT;
  fake.run().system_event.type = KVM_SYSTEM_EVENT_RESET;
  EXPECT_EQ(std::get<exit::SystemEvent>(*fake.decode()).type, uint32_t{KVM_SYSTEM_EVENT_RESET});
  fake.run().exit_reason = KVM_EXIT_INTERNAL_ERROR;
  fake.run().internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
  EXPECT_EQ(std::get<exit::InternalError>(*fake.decode()).suberror, uint32_t{KVM_INTERNAL_ERROR_EMULATION});
  fake.run().exit_reason = KVM_EXIT_FAIL_ENTRY;
  fake.run().fail_entry.hardware_entry_failure_reason = 0x80000021;
  EXPECT_EQ(std::get<exit::FailEntry>(*fake.decode()).reason, 0x80000021u);
}

}  // namespace
}  // namespace vmm
