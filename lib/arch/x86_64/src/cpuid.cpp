// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/cpuid.hpp>

#include <algorithm>
#include <bit>
#include <string>

#include <vmm/arch/error.hpp>

// Bit positions: Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, Appendix E.
namespace vmm::x86_64 {
namespace {

constexpr uint32_t kLeafFeatures = 0x1;
constexpr uint32_t kLeafCaches = 0x4;
constexpr uint32_t kLeafPower = 0x6;
constexpr uint32_t kLeafPmu = 0xa;
constexpr uint32_t kLeafTopology = 0xb;
constexpr uint32_t kLeafTopologyV2 = 0x1f;
constexpr uint32_t kLeafHypervisor = 0x4000'0000;
constexpr uint32_t kLeafKvmFeatures = 0x4000'0001;
constexpr uint32_t kLeafAddressSizes = 0x8000'0008;
constexpr uint32_t kLeafAmdCaches = 0x8000'001d;
constexpr uint32_t kLeafAmdTopology = 0x8000'001e;

constexpr uint32_t kEcxHypervisor = 1U << 31;
constexpr uint32_t kEdxHtt = 1U << 28;
constexpr uint32_t kPowerArat = 1U << 2;
constexpr uint32_t kLevelSmt = 1;
constexpr uint32_t kLevelCore = 2;

void set_features(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  // Keep the CLFLUSH line size (15..8), brand index 0.
  entry.ebx = (entry.ebx & 0xff00) | (spec.vcpu_count << 16) | (spec.vcpu_index << 24);
  entry.ecx |= kEcxHypervisor;
  entry.edx = spec.vcpu_count > 1 ? entry.edx | kEdxHtt : entry.edx & ~kEdxHtt;
}

// Leaf 4 and AMD's 0x8000_001D: EAX[25:14] = logical processors sharing
// the cache - 1. With one thread per core, L1 and L2 are private, L3 shared.
void set_cache_sharing(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  if ((entry.eax & 0x1f) == 0) return;  // cache type 0: no more caches
  uint32_t level = (entry.eax >> 5) & 0x7;
  uint32_t sharing = level >= 3 ? spec.vcpu_count - 1 : 0;
  entry.eax = (entry.eax & ~(0xfffU << 14)) | (sharing << 14);
}

// Leaf 4 only: EAX[31:26] = cores per package - 1 (AMD: reserved).
void set_intel_cache_cores(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  if ((entry.eax & 0x1f) == 0) return;
  uint32_t cores = std::min<uint32_t>(spec.vcpu_count - 1, 0x3f);
  entry.eax = (entry.eax & 0x03ff'ffff) | (cores << 26);
}

void keep_only_arat(kvm_cpuid_entry2& entry) {
  entry.eax &= kPowerArat;
  entry.ebx = entry.ecx = entry.edx = 0;
}

void clear_registers(kvm_cpuid_entry2& entry) { entry.eax = entry.ebx = entry.ecx = entry.edx = 0; }

void set_amd_core_count(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  // NC (7..0) = cores - 1; ApicIdSize (15..12) = 0: derive the id width from NC.
  entry.ecx = (entry.ecx & ~0xf0ffU) | (spec.vcpu_count - 1);
}

void set_amd_topology(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  entry.eax = spec.vcpu_index;                                    // extended APIC id
  entry.ebx = (entry.ebx & ~0xffffU) | (spec.vcpu_index & 0xff);  // 1 thread per core, core id
  entry.ecx = 0;                                                  // node 0, one node
}

kvm_cpuid_entry2 topology_level(uint32_t function, uint32_t index, const CpuidSpec& spec) {
  kvm_cpuid_entry2 entry{};
  entry.function = function;
  entry.index = index;
  entry.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
  entry.edx = spec.vcpu_index;  // x2APIC id
  entry.ecx = index;            // level number; type 0 (invalid) ends the list
  if (index == 0) {
    entry.ebx = 1;  // one thread per core; the next level needs no shift
    entry.ecx |= kLevelSmt << 8;
  } else if (index == 1) {
    entry.eax = static_cast<uint32_t>(std::bit_width(spec.vcpu_count - 1));
    entry.ebx = spec.vcpu_count;
    entry.ecx |= kLevelCore << 8;
  }
  return entry;
}

void append_topology(CpuidEntries& out, uint32_t function, const CpuidSpec& spec) {
  for (uint32_t index = 0; index < 3; ++index) out.push_back(topology_level(function, index, spec));
}

kvm_cpuid_entry2 leaf(uint32_t function) {
  kvm_cpuid_entry2 entry{};
  entry.function = function;
  return entry;
}

void set_kvm_signature(kvm_cpuid_entry2& entry) {
  entry.eax = kLeafKvmFeatures;
  entry.ebx = kKvmSignatureEbx;
  entry.ecx = kKvmSignatureEcx;
  entry.edx = kKvmSignatureEdx;
}

bool has_leaf(const CpuidEntries& entries, uint32_t function) {
  return std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.function == function; });
}

// Adjusts one supported entry; false drops it (it is rebuilt elsewhere).
bool normalize(kvm_cpuid_entry2& entry, const CpuidSpec& spec) {
  switch (entry.function) {
    case kLeafFeatures:
      set_features(entry, spec);
      return true;
    case kLeafCaches:
      set_cache_sharing(entry, spec);
      set_intel_cache_cores(entry, spec);
      return true;
    case kLeafPower:
      keep_only_arat(entry);
      return true;
    case kLeafPmu:
      clear_registers(entry);
      return true;
    case kLeafTopology:
    case kLeafTopologyV2:
      return false;
    case kLeafHypervisor:
      set_kvm_signature(entry);
      return true;
    case kLeafAddressSizes:
      set_amd_core_count(entry, spec);
      return true;
    case kLeafAmdCaches:
      set_cache_sharing(entry, spec);
      return true;
    case kLeafAmdTopology:
      set_amd_topology(entry, spec);
      return true;
    default:
      return true;
  }
}

Result<void> check_spec(const CpuidSpec& spec) {
  if (spec.vcpu_count == 0 || spec.vcpu_index >= spec.vcpu_count) {
    return Error(ArchErrc::kInvalidTopology,
                 "CPUID: vCPU " + std::to_string(spec.vcpu_index) + " of " + std::to_string(spec.vcpu_count));
  }
  if (spec.vcpu_count > kMaxXapicVcpus) {
    return Error(ArchErrc::kTooManyVcpus, "CPUID: " + std::to_string(spec.vcpu_count) + " vCPUs, at most " +
                                              std::to_string(kMaxXapicVcpus));
  }
  return ok();
}

}  // namespace

Result<CpuidEntries> build_cpuid(const CpuidEntries& supported, const CpuidSpec& spec) {
  VMM_TRY(check_spec(spec));
  CpuidEntries out;
  for (kvm_cpuid_entry2 entry : supported) {
    if (normalize(entry, spec)) out.push_back(entry);
  }
  for (uint32_t function : {kLeafTopology, kLeafTopologyV2}) {
    if (has_leaf(supported, function)) append_topology(out, function, spec);
  }
  if (!has_leaf(out, kLeafHypervisor)) {
    out.push_back(leaf(kLeafHypervisor));
    set_kvm_signature(out.back());
  }
  if (!has_leaf(out, kLeafKvmFeatures)) out.push_back(leaf(kLeafKvmFeatures));
  return out;
}

}  // namespace vmm::x86_64
