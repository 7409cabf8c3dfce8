// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include <vmm/base/export.hpp>

namespace vmm {

// What the machine wants its vCPU threads to do, shared by all of them.
// The owner changes the request and kicks the threads; a kicked thread
// calls next() and either runs again, parks until resumed, or exits.
class VMM_API RunControl {
 public:
  enum class Request : uint8_t { kRun, kPause, kStop };

  explicit RunControl(unsigned vcpus) : vcpus_(vcpus) {}

  // vCPU side: returns kRun (go on) or kStop (leave the thread); while the
  // request is kPause the thread parks here.
  Request next();

  // Owner side.
  void set(Request request);
  [[nodiscard]] Request request() const;
  // Waits until every vCPU thread is parked (or gone); false on timeout.
  bool wait_all_parked(std::chrono::milliseconds timeout);
  // A vCPU thread that left for good (it no longer counts as parkable).
  void thread_exited();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Request request_ = Request::kRun;
  unsigned vcpus_;
  unsigned parked_ = 0;
  unsigned exited_ = 0;
};

}  // namespace vmm
