// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/run_control.hpp>

namespace vmm {

RunControl::Request RunControl::next() {
  std::unique_lock lock(mutex_);
  if (request_ == Request::kPause) {
    ++parked_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return request_ != Request::kPause; });
    --parked_;
  }
  return request_;
}

void RunControl::set(Request request) {
  std::lock_guard lock(mutex_);
  // kStop is final: a late pause or resume cannot revive a stopping machine.
  if (request_ != Request::kStop) request_ = request;
  changed_.notify_all();
}

RunControl::Request RunControl::request() const {
  std::lock_guard lock(mutex_);
  return request_;
}

bool RunControl::wait_all_parked(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return parked_ + exited_ >= vcpus_; });
}

void RunControl::thread_exited() {
  std::lock_guard lock(mutex_);
  ++exited_;
  changed_.notify_all();
}

}  // namespace vmm
