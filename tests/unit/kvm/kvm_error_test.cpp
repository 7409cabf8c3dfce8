// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// What of the KVM wrappers can be checked without /dev/kvm.
#include <gtest/gtest.h>
#include <linux/kvm.h>

#include <cstdint>

#include <vmm/kvm/error.hpp>
#include <vmm/kvm/kvm.hpp>

#include "flex_buffer.hpp"
#include "kvm_abi.hpp"

namespace vmm {
namespace {

TEST(KvmCategory, NamesAndDescribes) {
  std::error_code code = KvmErrc::kMsrRejected;
  EXPECT_STREQ(code.category().name(), "vmm.kvm");
  EXPECT_EQ(code.message(), "KVM does not accept this MSR or value");
  EXPECT_EQ(std::error_code(KvmErrc::kApiVersion).message(), "unsupported KVM API version (need 12)");
}

TEST(KvmOpen, MissingDeviceNamesThePath) {
  auto kvm = Kvm::open("/nonexistent/kvm");
  ASSERT_FALSE(kvm.ok());
  EXPECT_EQ(kvm.error().message(), "open /nonexistent/kvm: No such file or directory");
}

TEST(KvmOpen, NotAKvmDeviceFailsTheApiVersionCheck) {
  auto kvm = Kvm::open("/dev/null");
  ASSERT_FALSE(kvm.ok());
  EXPECT_EQ(kvm.error().code(), KvmErrc::kApiVersion);
  EXPECT_EQ(kvm.error().context(), "/dev/null: KVM_GET_API_VERSION returned -1, need 12");
}

TEST(FlexBuffer, EntriesFollowTheHeaderAsInC) {
  kvm_detail::FlexBuffer<kvm_detail::MsrsHeader, kvm_msr_entry> buffer(3);
  EXPECT_EQ(buffer.capacity(), 3u);
  ASSERT_EQ(buffer.entries().size(), 3u);
  // struct kvm_msrs in C: nmsrs, pad, then the entries at offset 8.
  EXPECT_EQ(
      reinterpret_cast<uintptr_t>(buffer.entries().data()) - reinterpret_cast<uintptr_t>(buffer.header()),
      8u);
  buffer.entries()[2].index = 0x174;
  EXPECT_EQ(buffer.entries()[0].data, 0u);  // zeroed
  kvm_detail::FlexBuffer<kvm_detail::CpuidHeader, kvm_cpuid_entry2> empty(0);
  EXPECT_TRUE(empty.entries().empty());
  EXPECT_EQ(empty.header()->nent, 0u);
}

TEST(KvmAbi, IoctlNumbersMatchTheKernels) {
  // The values a C compiler derives from linux/kvm.h on x86-64.
  EXPECT_EQ(kvm_detail::kGetMsrIndexList, 0xc004ae02u);
  EXPECT_EQ(kvm_detail::kGetSupportedCpuid, 0xc008ae05u);
  EXPECT_EQ(kvm_detail::kSetGsiRouting, 0x4008ae6au);
  EXPECT_EQ(kvm_detail::kGetMsrs, 0xc008ae88u);
  EXPECT_EQ(kvm_detail::kSetMsrs, 0x4008ae89u);
  EXPECT_EQ(kvm_detail::kSetCpuid2, 0x4008ae90u);
}

}  // namespace
}  // namespace vmm
