// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Tap: name checks anywhere; opening a real tap only in a private network
// namespace (a forked child after unshare(CLONE_NEWNET), so the host's
// interfaces are never touched). Needs root; skips loudly otherwise.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "net_fixture.hpp"

namespace vmm::virtio::net_test {
namespace {

constexpr int kSkip = 77;

TEST(Tap, RejectsInvalidNames) {
  for (auto name : {"", "a-name-longer-than-15", "bad/name", "has space"}) {
    auto tap = Tap::open(name);
    ASSERT_FALSE(tap.ok()) << name;
    EXPECT_NE(tap.error().message().find("not a valid interface name"), std::string::npos);
  }
}

TEST(Tap, NetDeviceCreateNamesTheTapInItsError) {
  NetOptions options{"bad/tap", std::nullopt};
  auto device = NetDevice::create(options, "vm");
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.error().message().find("bad/tap"), std::string::npos);
}

// Each check in the child reports through its exit code.
int fail_child(const char* what) {
  std::fprintf(stderr, "tap test (child): %s: %s\n", what, std::strerror(errno));
  return 1;
}

bool bring_up(const char* name) {
  Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq request{};
  std::strncpy(request.ifr_name, name, IFNAMSIZ - 1);
  if (!sock || ::ioctl(sock.get(), SIOCGIFFLAGS, &request) != 0) return false;
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
  return ::ioctl(sock.get(), SIOCSIFFLAGS, &request) == 0;
}

int tap_checks_in_new_netns() {
  if (::unshare(CLONE_NEWNET) != 0) return kSkip;
  auto first = Tap::open("vmmkt0");
  if (!first) {
    std::fprintf(stderr, "tap test (child): %s\n", first.error().message().c_str());
    return first.error().code() == std::errc::no_such_file_or_directory ? kSkip : 2;
  }
  int flags = ::fcntl((*first)->fd(), F_GETFL);
  if (flags < 0 || (flags & O_NONBLOCK) == 0) return fail_child("the tap fd is not non-blocking");
  if (::fcntl((*first)->fd(), F_GETFD) != FD_CLOEXEC) return fail_child("the tap fd is not close-on-exec");
  // Keep the interface after the fd closes, as `ip tuntap add` would.
  if (::ioctl((*first)->fd(), TUNSETPERSIST, 1) != 0) return fail_child("TUNSETPERSIST");
  if (!bring_up("vmmkt0")) return fail_child("SIOCSIFFLAGS IFF_UP");
  // The kernel takes a frame written with a zeroed vnet header.
  std::vector<uint8_t> frame = frame_with(std::string(60, '\0'));
  std::fill(frame.begin() + 12, frame.begin() + 18, 0xff);  // broadcast destination
  if (!(*first)->write_frame(frame)) return fail_child("writing a frame");
  // Reading gives a frame (IPv6 neighbour discovery) or nothing, never blocks.
  std::vector<uint8_t> buffer(NetDevice::kMaxFrameSize);
  auto read = (*first)->read_frame(buffer);
  if (!read && !would_block(read.error())) return fail_child("reading");
  // Attached elsewhere: a second open fails and says why.
  auto busy = Tap::open("vmmkt0");
  if (busy || busy.error().message().find("tap vmmkt0") == std::string::npos) return fail_child("second open while attached");
  first->reset();
  // The same name again: attaches to the existing interface.
  auto second = Tap::open("vmmkt0");
  if (!second) {
    std::fprintf(stderr, "tap test (child): reopen: %s\n", second.error().message().c_str());
    return 3;
  }
  auto device = NetDevice::create({"vmmkt0", std::nullopt}, "tap-test");
  if (device) return fail_child("NetDevice::create while the tap is attached");
  (*second).reset();
  device = NetDevice::create({"vmmkt0", std::nullopt}, "tap-test");
  if (!device) return fail_child("NetDevice::create on the tap");
  if ((*device)->mac() != derive_mac("tap-test")) return fail_child("derived MAC");
  return 0;
}

// Without CAP_NET_ADMIN a tap cannot be created: the error says so. The
// child stays root (so /dev/net/tun opens whatever its mode) and only
// drops CAP_NET_ADMIN from its effective set.
int open_without_net_admin_in_new_netns() {
  if (::unshare(CLONE_NEWNET) != 0) return kSkip;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, 2> caps{};
  if (::syscall(SYS_capget, &header, caps.data()) != 0) return kSkip;
  caps[0].effective &= ~(1u << CAP_NET_ADMIN);
  if (::syscall(SYS_capset, &header, caps.data()) != 0) return kSkip;
  auto tap = Tap::open("vmmkt1");
  if (tap) return fail_child("a tap was created without CAP_NET_ADMIN");
  std::string message = tap.error().message();
  std::fprintf(stderr, "tap test (child): without CAP_NET_ADMIN: %s\n", message.c_str());
  bool helpful = message.find("tap vmmkt1") != std::string::npos &&
                 message.find("needs CAP_NET_ADMIN or an existing tap owned by this user") != std::string::npos &&
                 tap.error().code() == std::errc::operation_not_permitted;
  return helpful ? 0 : 4;
}

// Runs `checks` in a forked child; its exit status is the verdict.
int run_in_child(int (*checks)()) {
  pid_t child = ::fork();
  if (child < 0) return -1;
  if (child == 0) ::_exit(checks());
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(Tap, UnprivilegedCreationExplainsWhatIsMissing) {
  if (::geteuid() != 0) GTEST_SKIP() << "SKIPPED LOUDLY: needs root to set up the unprivileged child";
  int verdict = run_in_child(open_without_net_admin_in_new_netns);
  if (verdict == kSkip) GTEST_SKIP() << "SKIPPED LOUDLY: unshare(CLONE_NEWNET) or /dev/net/tun not available here";
  EXPECT_EQ(verdict, 0) << "see the child's message above";
}

TEST(Tap, OpensAndReopensATapInAPrivateNetworkNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "SKIPPED LOUDLY: the tap test needs root (unshare(CLONE_NEWNET), TUNSETIFF)";
  int verdict = run_in_child(tap_checks_in_new_netns);
  if (verdict == kSkip) GTEST_SKIP() << "SKIPPED LOUDLY: unshare(CLONE_NEWNET) or /dev/net/tun not available here";
  EXPECT_EQ(verdict, 0) << "see the child's message above";
}

}  // namespace
}  // namespace vmm::virtio::net_test
