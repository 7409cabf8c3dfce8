// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Out-of-line destructors anchor the interfaces' vtables in the library.
#include <vmm/devices/interrupt.hpp>
#include <vmm/devices/sink.hpp>

namespace vmm {

InterruptLine::~InterruptLine() = default;
ResetLine::~ResetLine() = default;
PowerOffLine::~PowerOffLine() = default;
PanicLine::~PanicLine() = default;
ByteSink::~ByteSink() = default;

}  // namespace vmm
