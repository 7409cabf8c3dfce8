// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/bus/bus.hpp>
#include <vmm/base/hex.hpp>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace vmm {
namespace {

// "[0x3f8, 0x3ff]": ranges in messages are hexadecimal and inclusive, so a
// range ending at the top of the address space prints without wrapping.
std::string describe(const BusRange& range) { return "[" + hex(range.base) + ", " + hex(range.last()) + "]"; }

}  // namespace

BusDevice::~BusDevice() = default;

Result<void> Bus::insert(std::shared_ptr<BusDevice> device, uint64_t base, uint64_t length) {
  if (!device)
    return Error(std::make_error_code(std::errc::invalid_argument),
                 "no device for bus range at " + hex(base));
  if (length == 0) return Error(BusErrc::kZeroLength, "bus range at " + hex(base) + " has length 0");
  if (length - 1 > UINT64_MAX - base)
    return Error(BusErrc::kOverflow, "bus range at " + hex(base) + " of length " + hex(length) +
                                         " wraps past the end of the address space");
  BusRange range{base, length};
  // The first entry starting after `base`; only it and its predecessor can overlap.
  auto next = std::upper_bound(entries_.begin(), entries_.end(), base,
                               [](uint64_t b, const Entry& e) { return b < e.range.base; });
  for (auto it : {next, next == entries_.begin() ? entries_.end() : std::prev(next)}) {
    if (it != entries_.end() && it->range.overlaps(range))
      return Error(BusErrc::kOverlap, "bus range " + describe(range) + " overlaps " + describe(it->range));
  }
  entries_.insert(next, Entry{range, std::move(device)});
  return ok();
}

Result<void> Bus::remove(uint64_t base) {
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [base](const Entry& e) { return e.range.base == base; });
  if (it == entries_.end()) return Error(BusErrc::kNotFound, "no bus range starts at " + hex(base));
  entries_.erase(it);
  return ok();
}

Bus::Match Bus::find(uint64_t address, uint64_t size) const {
  // The last range starting at or below `address`.
  auto it = std::upper_bound(entries_.begin(), entries_.end(), address,
                             [](uint64_t a, const Entry& e) { return a < e.range.base; });
  if (size == 0 || it == entries_.begin()) return {nullptr, 0};
  const Entry& entry = *std::prev(it);
  uint64_t offset = address - entry.range.base;
  // offset + size <= length, written so that neither side can overflow.
  if (offset >= entry.range.length || size > entry.range.length - offset) return {nullptr, 0};
  return {entry.device.get(), offset};
}

bool Bus::read(uint64_t address, std::span<uint8_t> data) const {
  Match match = find(address, data.size());
  if (match.device == nullptr) return false;
  match.device->read(match.offset, data);
  return true;
}

bool Bus::write(uint64_t address, std::span<const uint8_t> data) const {
  Match match = find(address, data.size());
  if (match.device == nullptr) return false;
  match.device->write(match.offset, data);
  return true;
}

std::vector<BusRange> Bus::ranges() const {
  std::vector<BusRange> result;
  result.reserve(entries_.size());
  for (const Entry& entry : entries_) result.push_back(entry.range);
  return result;
}

}  // namespace vmm
