// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <iosfwd>

#include "create_config.hpp"

namespace vmmctl {

// Parses argv with the verb table, runs the verb, prints errors as
// "vmmctl: <message>" on `err`, and returns the exit status (exit_status.hpp).
// Usage errors (options, names, sizes) are found before any bus call.
int run_vmmctl(int argc, const char* const* argv, const CreateDefaults& defaults, std::ostream& out,
               std::ostream& err);

}  // namespace vmmctl
