// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Interrupting a vCPU that spins in the guest from another thread.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "kvm_fixture.hpp"

namespace vmm::testing {
namespace {

using namespace std::chrono_literals;

constexpr uint8_t kSpinningGuest[] = {0xeb, 0xfe};  // jmp $

void ignore_signal(int) {}

// Installs a no-op SIGUSR1 handler without SA_RESTART, so a blocked KVM_RUN
// returns EINTR; restores the previous action when dropped.
class KickSignal {
 public:
  KickSignal() {
    struct sigaction action {};
    action.sa_handler = ignore_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART
    sigaction(SIGUSR1, &action, &previous_);
  }
  ~KickSignal() { sigaction(SIGUSR1, &previous_, nullptr); }
  KickSignal(const KickSignal&) = delete;
  KickSignal& operator=(const KickSignal&) = delete;

 private:
  struct sigaction previous_ {};
};

struct KickedRun {
  std::optional<Result<VcpuExit>> result;
  bool timed_out = false;
};

// Runs the vCPU on its own thread once; `kick` is called from this thread
// every 20 ms until run() returns. After 10 s the run is forced to end (and
// reported as timed out) so a broken kick cannot hang the test binary.
template <typename Kick>
KickedRun run_while_kicking(Vcpu& vcpu, Kick kick) {
  KickedRun run;
  std::atomic<bool> done = false;
  std::thread runner([&] {
    run.result.emplace(vcpu.run());
    done = true;
  });
  std::this_thread::sleep_for(50ms);  // let the guest start spinning
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    kick(runner.native_handle());
    std::this_thread::sleep_for(20ms);
  }
  while (!done) {
    run.timed_out = true;
    vcpu.kick();
    pthread_kill(runner.native_handle(), SIGUSR1);
    std::this_thread::sleep_for(20ms);
  }
  runner.join();
  return run;
}

using VcpuKick = KvmTest;

TEST_F(VcpuKick, SignalInterruptsASpinningGuest) {
  auto guest = make_real_mode_guest(kvm(), kSpinningGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  KickSignal signal;
  KickedRun run = run_while_kicking(guest->vcpu, [](pthread_t thread) { pthread_kill(thread, SIGUSR1); });
  EXPECT_FALSE(run.timed_out);
  ASSERT_TRUE(run.result && run.result->ok());
  EXPECT_TRUE(std::holds_alternative<exit::Interrupted>(**run.result));
}

TEST_F(VcpuKick, KickPlusSignalInterruptsWithOneSignal) {
  auto guest = make_real_mode_guest(kvm(), kSpinningGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  KickSignal signal;
  bool kicked = false;
  // The race-free protocol: set immediate_exit first, then signal once.
  // Whether the signal lands before or during KVM_RUN, run() returns.
  KickedRun run = run_while_kicking(guest->vcpu, [&](pthread_t thread) {
    if (kicked) return;
    kicked = true;
    guest->vcpu.kick();
    pthread_kill(thread, SIGUSR1);
  });
  EXPECT_FALSE(run.timed_out);
  ASSERT_TRUE(run.result && run.result->ok());
  EXPECT_TRUE(std::holds_alternative<exit::Interrupted>(**run.result));
}

}  // namespace
}  // namespace vmm::testing
