// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace vmmd {

// vmmd's logger: the journal (with the message's priority) when systemd
// started vmmd (JOURNAL_STREAM is set), stderr otherwise. Not registered in
// spdlog's global registry: whoever logs is handed this logger.
std::shared_ptr<spdlog::logger> make_logger(bool verbose);

}  // namespace vmmd
