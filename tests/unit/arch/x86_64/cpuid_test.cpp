// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include <vmm/arch/cpuid.hpp>
#include <vmm/arch/error.hpp>

namespace vmm::x86_64 {
namespace {

kvm_cpuid_entry2 entry(uint32_t function, uint32_t index, uint32_t eax, uint32_t ebx, uint32_t ecx,
                       uint32_t edx) {
  kvm_cpuid_entry2 e{};
  e.function = function;
  e.index = index;
  e.flags = index > 0 || function == 0x4 || function == 0xb ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
  e.eax = eax;
  e.ebx = ebx;
  e.ecx = ecx;
  e.edx = edx;
  return e;
}

// A made-up KVM_GET_SUPPORTED_CPUID of an Intel-like host.
CpuidEntries supported() {
  return {
      entry(0x0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
      entry(0x1, 0, 0x000906ea, 0x05100800, 0x7ffafbbf, 0xbfebfbff),
      entry(0x4, 0, 0x1c004121, 0x01c0003f, 0x3f, 0),    // L1d
      entry(0x4, 1, 0x1c004122, 0x01c0003f, 0x3f, 0),    // L1i
      entry(0x4, 2, 0x1c004143, 0x00c0003f, 0x3ff, 0),   // L2
      entry(0x4, 3, 0x1c03c163, 0x03c0003f, 0x2fff, 6),  // L3
      entry(0x4, 4, 0, 0, 0, 0),
      entry(0x6, 0, 0x77, 0x2, 0x9, 0),
      entry(0xa, 0, 0x07300404, 0, 0, 0x603),
      entry(0xb, 0, 1, 2, 0x100, 7),  // host topology, to be replaced
      entry(0xb, 1, 4, 12, 0x201, 7),
      entry(0x4000'0000, 0, 0x4000'0001, 0x4b4d564b, 0x564b4d56, 0x4d),
      entry(0x4000'0001, 0, 0x0100'7afb, 0, 0, 0),
      entry(0x8000'0000, 0, 0x8000'0008, 0, 0, 0),
      entry(0x8000'0008, 0, 0x3027, 0, 0x7003, 0),
      entry(0x8000'001d, 0, 0x121, 0x01c0003f, 0x3f, 0),     // AMD L1d
      entry(0x8000'001d, 3, 0x4163, 0x03c0003f, 0x7fff, 1),  // AMD L3, host: 2 sharing
      entry(0x8000'001e, 0, 0, 0x100, 0x300, 0),
  };
}

const kvm_cpuid_entry2* find(const CpuidEntries& entries, uint32_t function, uint32_t index = 0) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const auto& e) { return e.function == function && e.index == index; });
  return it == entries.end() ? nullptr : &*it;
}

CpuidEntries build(uint32_t index, uint32_t count, const CpuidEntries& base = supported()) {
  auto entries = build_cpuid(base, {index, count});
  EXPECT_TRUE(entries) << entries.error().message();
  return entries.ok() ? *entries : CpuidEntries{};
}

TEST(Cpuid, Leaf1CarriesApicIdCountAndHypervisorBit) {
  for (uint32_t index = 0; index < 4; ++index) {
    CpuidEntries entries = build(index, 4);
    const auto* leaf1 = find(entries, 0x1);
    ASSERT_NE(leaf1, nullptr);
    EXPECT_EQ(leaf1->ebx >> 24, index);
    EXPECT_EQ((leaf1->ebx >> 16) & 0xff, 4u);
    EXPECT_EQ((leaf1->ebx >> 8) & 0xff, 8u);  // CLFLUSH line size kept
    EXPECT_EQ(leaf1->ebx & 0xff, 0u);         // brand index
    EXPECT_TRUE(leaf1->ecx & (1U << 31));     // hypervisor
    EXPECT_TRUE(leaf1->edx & (1U << 28));     // HTT: several logical processors
    EXPECT_EQ(leaf1->eax, 0x000906eau);
  }
  CpuidEntries single_vcpu = build(0, 1);
  const auto* single = find(single_vcpu, 0x1);
  EXPECT_FALSE(single->edx & (1U << 28));
}

TEST(Cpuid, ExtendedTopologyIsRebuiltPerVcpu) {
  CpuidEntries entries = build(2, 3);
  const auto* smt = find(entries, 0xb, 0);
  const auto* core = find(entries, 0xb, 1);
  const auto* end = find(entries, 0xb, 2);
  ASSERT_TRUE(smt && core && end);
  EXPECT_EQ(smt->eax, 0u);
  EXPECT_EQ(smt->ebx, 1u);
  EXPECT_EQ(smt->ecx, 0x100u);  // level 0, type SMT
  EXPECT_EQ(core->eax, 2u);     // 3 vCPUs need 2 bits of APIC id
  EXPECT_EQ(core->ebx, 3u);
  EXPECT_EQ(core->ecx, 0x201u);  // level 1, type core
  EXPECT_EQ(end->ecx, 2u);       // type 0: no more levels
  for (const auto* level : {smt, core, end}) {
    EXPECT_EQ(level->edx, 2u);  // x2APIC id
    EXPECT_EQ(level->flags, static_cast<uint32_t>(KVM_CPUID_FLAG_SIGNIFCANT_INDEX));
  }
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.function == 0xb; }),
            3);
  EXPECT_EQ(find(entries, 0x1f), nullptr);  // not supported: not invented
  EXPECT_EQ(find(build(0, 1), 0xb, 1)->eax, 0u);
}

TEST(Cpuid, Leaf1FIsRebuiltWhenSupported) {
  CpuidEntries base = supported();
  base.push_back(entry(0x1f, 0, 1, 2, 0x100, 9));
  CpuidEntries entries = build(1, 2, base);
  const auto* core = find(entries, 0x1f, 1);
  ASSERT_NE(core, nullptr);
  EXPECT_EQ(core->ebx, 2u);
  EXPECT_EQ(core->edx, 1u);
}

TEST(Cpuid, CacheLeavesDescribeOneThreadPerCore) {
  CpuidEntries entries = build(0, 4);
  EXPECT_EQ(find(entries, 0x4, 0)->eax >> 26, 3u);            // cores per package - 1
  EXPECT_EQ((find(entries, 0x4, 0)->eax >> 14) & 0xfff, 0u);  // L1 per core
  EXPECT_EQ((find(entries, 0x4, 2)->eax >> 14) & 0xfff, 0u);  // L2 per core
  EXPECT_EQ((find(entries, 0x4, 3)->eax >> 14) & 0xfff, 3u);  // L3 shared by all
  EXPECT_EQ(find(entries, 0x4, 3)->eax & 0x3fff, 0x163u);     // type and level kept
  EXPECT_EQ(find(entries, 0x4, 4)->eax, 0u);                  // terminator untouched
}

TEST(Cpuid, AmdCacheLeavesDescribeOneThreadPerCore) {
  CpuidEntries entries = build(0, 8);
  EXPECT_EQ(find(entries, 0x8000'001d, 0)->eax, 0x121u);              // L1 private
  EXPECT_EQ(find(entries, 0x8000'001d, 3)->eax, (7u << 14) | 0x163);  // L3 shared by 8
}

TEST(Cpuid, PowerAndPmuLeavesAreHidden) {
  CpuidEntries entries = build(0, 1);
  const auto* power = find(entries, 0x6);
  EXPECT_EQ(power->eax, 0x4u);  // ARAT only
  EXPECT_EQ(power->ecx, 0u);
  const auto* pmu = find(entries, 0xa);
  EXPECT_EQ(pmu->eax | pmu->ebx | pmu->ecx | pmu->edx, 0u);
}

TEST(Cpuid, HypervisorLeavesCarryTheKvmSignature) {
  CpuidEntries entries = build(0, 1);
  const auto* signature = find(entries, 0x4000'0000);
  ASSERT_NE(signature, nullptr);
  EXPECT_EQ(signature->eax, 0x4000'0001u);
  char text[12];
  std::memcpy(text, &signature->ebx, 4);
  std::memcpy(text + 4, &signature->ecx, 4);
  std::memcpy(text + 8, &signature->edx, 4);
  EXPECT_EQ(std::string(text, 12), std::string("KVMKVMKVM\0\0\0", 12));
  EXPECT_EQ(find(entries, 0x4000'0001)->eax, 0x0100'7afbu);  // KVM's features, as reported
}

TEST(Cpuid, HypervisorLeavesAreAddedWhenMissing) {
  CpuidEntries base = supported();
  std::erase_if(base, [](const auto& e) { return e.function >= 0x4000'0000 && e.function < 0x8000'0000; });
  CpuidEntries entries = build(0, 1, base);
  ASSERT_NE(find(entries, 0x4000'0000), nullptr);
  EXPECT_EQ(find(entries, 0x4000'0000)->ebx, kKvmSignatureEbx);
  ASSERT_NE(find(entries, 0x4000'0001), nullptr);
  EXPECT_EQ(find(entries, 0x4000'0001)->eax, 0u);
}

TEST(Cpuid, AmdCoreCountAndAddressSizes) {
  CpuidEntries entries = build(0, 4);
  const auto* sizes = find(entries, 0x8000'0008);
  EXPECT_EQ(sizes->eax, 0x3027u);  // address sizes as supported
  EXPECT_EQ(sizes->ecx, 0x0003u);  // NC = 3, ApicIdSize 0
}

TEST(Cpuid, AmdExtendedApicId) {
  CpuidEntries entries = build(3, 4);
  const auto* topology = find(entries, 0x8000'001e);
  EXPECT_EQ(topology->eax, 3u);  // extended APIC id
  EXPECT_EQ(topology->ebx, 3u);  // core id 3, one thread per core
  EXPECT_EQ(topology->ecx, 0u);  // node 0 of 1
}

TEST(Cpuid, EveryFunctionIndexPairAppearsOnce) {
  CpuidEntries entries = build(1, 2);
  std::set<std::pair<uint32_t, uint32_t>> seen;
  for (const auto& e : entries)
    EXPECT_TRUE(seen.insert({e.function, e.index}).second) << std::hex << e.function;
}

TEST(Cpuid, RejectsImpossibleTopologies) {
  EXPECT_EQ(build_cpuid(supported(), {0, 0}).error().code(), ArchErrc::kInvalidTopology);
  EXPECT_EQ(build_cpuid(supported(), {4, 4}).error().code(), ArchErrc::kInvalidTopology);
  EXPECT_EQ(build_cpuid(supported(), {0, 256}).error().code(), ArchErrc::kTooManyVcpus);
  EXPECT_TRUE(build_cpuid(supported(), {254, 255}));
}

}  // namespace
}  // namespace vmm::x86_64
