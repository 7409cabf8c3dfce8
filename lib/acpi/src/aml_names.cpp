// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// NameSeg and NameString encoding (ACPI 6.5, 20.2.2 "Name Objects Encoding").
#include <algorithm>
#include <string>

#include "opcodes.hpp"

namespace vmm::acpi::aml {

std::optional<NameSeg> NameSeg::parse(std::string_view text) {
  NameSeg seg;
  if (!from(text, seg.chars_)) return std::nullopt;
  return seg;
}

NameString::NameString(NameSeg seg) : encoded_(seg.chars().begin(), seg.chars().end()) {}

Result<NameString> NameString::parse(std::string_view path) {
  NameString name;
  size_t pos = 0;
  // PrefixPath := '\' | '^'*  (RootChar or ParentPrefixChar)
  if (!path.empty() && path[0] == '\\') {
    name.encoded_.push_back(op::kRootChar);
    pos = 1;
  } else {
    while (pos < path.size() && path[pos] == '^') {
      name.encoded_.push_back(op::kParentPrefix);
      ++pos;
    }
  }
  std::vector<NameSeg> segs;
  while (pos < path.size()) {
    const size_t dot = std::min(path.find('.', pos), path.size());
    auto seg = NameSeg::parse(path.substr(pos, dot - pos));
    if (!seg) return Error(AcpiErrc::kInvalidAml, "AML name path '" + std::string(path) + "': bad segment");
    segs.push_back(*seg);
    pos = dot == path.size() ? dot : dot + 1;
    if (dot + 1 == path.size())
      return Error(AcpiErrc::kInvalidAml, "AML name path '" + std::string(path) + "' ends in '.'");
  }
  // NamePath := NameSeg | DualNamePath | MultiNamePath | NullName
  if (segs.size() > 255) return Error(AcpiErrc::kInvalidAml, "AML name path has more than 255 segments");
  if (segs.size() == 2) name.encoded_.push_back(op::kDualNamePrefix);
  if (segs.size() > 2) {
    name.encoded_.push_back(op::kMultiNamePrefix);
    name.encoded_.push_back(static_cast<uint8_t>(segs.size()));
  }
  if (segs.empty()) name.encoded_.push_back(op::kZero);  // NullName
  for (const NameSeg& seg : segs)
    name.encoded_.insert(name.encoded_.end(), seg.chars().begin(), seg.chars().end());
  return name;
}

}  // namespace vmm::acpi::aml
