// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/virtio/net.hpp>

namespace vmm::virtio {

MacAddress derive_mac(std::string_view machine_name) {
  // FNV-1a, 64 bit (offset basis and prime from the FNV reference).
  uint64_t hash = 0xcbf29ce484222325;
  for (char c : machine_name) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3;
  }
  MacAddress mac{};
  for (size_t i = 0; i < mac.size(); ++i) mac[i] = static_cast<uint8_t>(hash >> (8 * i));
  // IEEE 802: bit 0 of the first octet set = multicast, bit 1 = locally administered.
  mac[0] = static_cast<uint8_t>((mac[0] & 0xfe) | 0x02);
  return mac;
}

}  // namespace vmm::virtio
