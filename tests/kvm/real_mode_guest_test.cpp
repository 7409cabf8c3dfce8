// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Tiny hand-assembled real-mode guests (16-bit code at 0000:1000) and the
// typed exits Vcpu::run() reports for them.
#include <string>
#include <vector>

#include <vmm/base/event_fd.hpp>

#include "kvm_fixture.hpp"

namespace vmm::testing {
namespace {

using RealModeGuestTest = KvmTest;

// Runs until the next exit; a failed run() fails the test.
VcpuExit next_exit(Vcpu& vcpu) {
  auto result = vcpu.run();
  EXPECT_TRUE(result.ok()) << result.error().message();
  return result.ok() ? *result : VcpuExit(exit::Unknown{~0u});
}

template <typename Exit>
Exit expect_exit(Vcpu& vcpu) {
  VcpuExit got = next_exit(vcpu);
  EXPECT_TRUE(std::holds_alternative<Exit>(got)) << "unexpected exit, variant index " << got.index();
  return std::holds_alternative<Exit>(got) ? std::get<Exit>(got) : Exit{};
}

std::vector<uint8_t> bytes(std::span<const uint8_t> data) { return {data.begin(), data.end()}; }

// clang-format off
constexpr uint8_t kExitsGuest[] = {
    0xba, 0xf8, 0x03,              // mov dx, 0x3f8
    0xb0, 'A',                     // mov al, 'A'
    0xee,                          // out dx, al           -> IoOut 0x3f8 {'A'}
    0xb8, 0xef, 0xbe,              // mov ax, 0xbeef
    0xef,                          // out dx, ax           -> IoOut 0x3f8 {ef, be}
    0xec,                          // in al, dx            -> IoIn 0x3f8, we answer 0x5a
    0x04, 0x01,                    // add al, 1
    0xee,                          // out dx, al           -> IoOut {0x5b}
    0xbe, 0x00, 0x11,              // mov si, 0x1100       ("xyz")
    0xb9, 0x03, 0x00,              // mov cx, 3
    0xfc,                          // cld
    0xf3, 0x6e,                    // rep outsb            -> IoOut(s) "xyz"
    0xb8, 0x00, 0x20,              // mov ax, 0x2000
    0x8e, 0xd8,                    // mov ds, ax           (ds base 0x20000: not RAM)
    0xc6, 0x06, 0x10, 0x00, 0x42,  // mov byte [0x10], 0x42 -> MmioWrite 0x20010 {0x42}
    0xa0, 0x20, 0x00,              // mov al, [0x20]       -> MmioRead 0x20020, we answer 0x77
    0xee,                          // out dx, al           -> IoOut {0x77}
    0xf4,                          // hlt                  -> Hlt
};
// clang-format on

TEST_F(RealModeGuestTest, ReportsTypedExits) {
  auto guest = make_real_mode_guest(kvm(), kExitsGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  ASSERT_TRUE(guest->memory.write(GuestAddress(0x1100), std::span<const uint8_t>{{'x', 'y', 'z'}}).ok());
  Vcpu& vcpu = guest->vcpu;

  auto out = expect_exit<exit::IoOut>(vcpu);
  EXPECT_EQ(out.port, 0x3f8);
  EXPECT_EQ(out.size, 1);
  EXPECT_EQ(out.count, 1u);
  EXPECT_EQ(bytes(out.data), std::vector<uint8_t>{'A'});

  out = expect_exit<exit::IoOut>(vcpu);
  EXPECT_EQ(out.size, 2);
  EXPECT_EQ(bytes(out.data), (std::vector<uint8_t>{0xef, 0xbe}));

  auto in = expect_exit<exit::IoIn>(vcpu);
  EXPECT_EQ(in.port, 0x3f8);
  EXPECT_EQ(in.size, 1);
  ASSERT_EQ(in.data.size(), 1u);
  in.data[0] = 0x5a;

  out = expect_exit<exit::IoOut>(vcpu);
  EXPECT_EQ(bytes(out.data), std::vector<uint8_t>{0x5b});  // the guest saw our 0x5a

  // rep outsb: KVM may report the string in one exit (count 3) or several.
  std::string string;
  while (string.size() < 3 && !HasFailure()) {
    out = expect_exit<exit::IoOut>(vcpu);
    EXPECT_EQ(out.size, 1);
    EXPECT_EQ(out.data.size(), out.count);
    string.append(out.data.begin(), out.data.end());
  }
  EXPECT_EQ(string, "xyz");

  auto mmio_write = expect_exit<exit::MmioWrite>(vcpu);
  EXPECT_EQ(mmio_write.address, 0x20010u);
  EXPECT_EQ(bytes(mmio_write.data), std::vector<uint8_t>{0x42});

  auto mmio_read = expect_exit<exit::MmioRead>(vcpu);
  EXPECT_EQ(mmio_read.address, 0x20020u);
  ASSERT_EQ(mmio_read.data.size(), 1u);
  mmio_read.data[0] = 0x77;

  out = expect_exit<exit::IoOut>(vcpu);
  EXPECT_EQ(bytes(out.data), std::vector<uint8_t>{0x77});

  expect_exit<exit::Hlt>(vcpu);
}

// clang-format off
constexpr uint8_t kDirtyingGuest[] = {
    0xc6, 0x06, 0x00, 0x30, 0x01,  // mov byte [0x3000], 1
    0xc6, 0x06, 0x00, 0x50, 0x01,  // mov byte [0x5000], 1
    0xf4,                          // hlt
};
// clang-format on

TEST_F(RealModeGuestTest, DirtyLogReportsGuestWrites) {
  auto guest = make_real_mode_guest(kvm(), kDirtyingGuest, {.log_dirty = true});
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  expect_exit<exit::Hlt>(guest->vcpu);
  EXPECT_EQ(*guest->memory.read_obj<uint8_t>(GuestAddress(0x3000)), 1);

  auto bits = guest->vm.get_dirty_log(0, kRamSize);
  ASSERT_TRUE(bits.ok()) << bits.error().message();
  EXPECT_EQ(bits->size(), 1u);  // 16 pages fit in one word
  DirtyBitmap dirty{GuestAddress(0), 4096, std::move(*bits)};
  EXPECT_TRUE(dirty.is_dirty(3));
  EXPECT_TRUE(dirty.is_dirty(5));
  EXPECT_FALSE(dirty.is_dirty(7));
  EXPECT_FALSE(dirty.is_dirty(15));

  // Fetching the log clears it (without KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2).
  auto again = guest->vm.get_dirty_log(0, kRamSize);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((DirtyBitmap{GuestAddress(0), 4096, std::move(*again)}.dirty_pages()), 0u);
}

// clang-format off
constexpr uint8_t kPioDoorbellGuest[] = {
    0xba, 0x00, 0x05,  // mov dx, 0x500
    0xb0, 0x07,        // mov al, 7
    0xee,              // out dx, al
    0xf4,              // hlt
};
// clang-format on

TEST_F(RealModeGuestTest, PioIoeventfdIsSignalledWithoutAnExit) {
  auto guest = make_real_mode_guest(kvm(), kPioDoorbellGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  auto event = EventFd::create();
  ASSERT_TRUE(event.ok());
  IoEventAddress doorbell{IoEventAddress::Space::kPio, 0x500, 1, true, 7};
  auto registered = guest->vm.register_ioeventfd(*event, doorbell);
  ASSERT_TRUE(registered.ok()) << registered.error().message();

  expect_exit<exit::Hlt>(guest->vcpu);  // no IoOut in between
  EXPECT_EQ(*event->read(), 1u);

  // Unregistered, the same write exits to userspace again.
  ASSERT_TRUE(guest->vm.unregister_ioeventfd(*event, doorbell).ok());
  ASSERT_TRUE(restart_at_code(guest->vcpu).ok());
  auto out = expect_exit<exit::IoOut>(guest->vcpu);
  EXPECT_EQ(out.port, 0x500);
  EXPECT_EQ(*event->read(), 0u);
}

// clang-format off
constexpr uint8_t kMmioDoorbellGuest[] = {
    0xb8, 0x00, 0x20,              // mov ax, 0x2000
    0x8e, 0xd8,                    // mov ds, ax
    0xc6, 0x06, 0x50, 0x00, 0x09,  // mov byte [0x50], 9   (0x20050)
    0xf4,                          // hlt
};
// clang-format on

TEST_F(RealModeGuestTest, MmioIoeventfdIsSignalledWithoutAnExit) {
  auto guest = make_real_mode_guest(kvm(), kMmioDoorbellGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  auto event = EventFd::create();
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(guest->vm.register_ioeventfd(*event, {IoEventAddress::Space::kMmio, 0x20050, 1}).ok());
  expect_exit<exit::Hlt>(guest->vcpu);
  EXPECT_EQ(*event->read(), 1u);
}

constexpr uint8_t kSpinningGuest[] = {0xeb, 0xfe};  // jmp $

TEST_F(RealModeGuestTest, ImmediateExitReturnsInterrupted) {
  auto guest = make_real_mode_guest(kvm(), kSpinningGuest);
  ASSERT_TRUE(guest.ok()) << guest.error().message();
  guest->vcpu.set_immediate_exit(true);
  expect_exit<exit::Interrupted>(guest->vcpu);
  expect_exit<exit::Interrupted>(guest->vcpu);  // run() clears nothing itself
  guest->vcpu.set_immediate_exit(false);
  guest->vcpu.kick();
  expect_exit<exit::Interrupted>(guest->vcpu);
}

}  // namespace
}  // namespace vmm::testing
