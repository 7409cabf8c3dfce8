// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "logging.hpp"

#include <cstdlib>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>

namespace vmmd {

std::shared_ptr<spdlog::logger> make_logger(bool verbose) {
  std::shared_ptr<spdlog::logger> logger;
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    logger = std::make_shared<spdlog::logger>("vmmd", std::make_shared<spdlog::sinks::systemd_sink_st>());
    logger->set_pattern("%v");  // the journal has its own time and identifier
  } else {
    logger = std::make_shared<spdlog::logger>("vmmd", std::make_shared<spdlog::sinks::stderr_sink_st>());
    logger->set_pattern("vmmd: %l: %v");
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::debug);
  return logger;
}

}  // namespace vmmd
