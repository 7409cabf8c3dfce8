// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string_view>

#include <vmm/base/result.hpp>

namespace vmm {

// Parses a byte size: a decimal number with an optional binary suffix
// K, M, G, T (also KiB/MiB/GiB/TiB), e.g. "512M", "2G", "4096". The result
// is in bytes; overflow, an empty number or an unknown suffix is an error.
VMM_API Result<uint64_t> parse_size(std::string_view text);

// Like parse_size, but a bare number means `default_unit` bytes (1 << 20
// for MiB-valued options such as size_mib=512).
VMM_API Result<uint64_t> parse_size(std::string_view text, uint64_t default_unit);

}  // namespace vmm
