// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A tap interface as a NetBackend (Linux Documentation/networking/tuntap.rst).
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <vmm/virtio/net.hpp>
#include <vmm/virtio/net_backend.hpp>

namespace vmm::virtio {
namespace {

Result<void> check_name(std::string_view name) {
  bool valid = !name.empty() && name.size() < IFNAMSIZ;
  for (char c : name) valid = valid && c != '/' && c != ':' && c > ' ' && c < 0x7f;
  if (valid) return ok();
  return Error(std::make_error_code(std::errc::invalid_argument),
               "tap \"" + std::string(name) + "\": not a valid interface name (1 to 15 characters, no '/', ':' or spaces)");
}

// An errno from TUNSETIFF with what usually causes it.
Error attach_error(int err, const std::string& name) {
  std::string context = "tap " + name;
  if (err == EPERM) context += " (needs CAP_NET_ADMIN or an existing tap owned by this user)";
  if (err == EBUSY) context += " (attached to another process)";
  if (err == EINVAL) context += " (exists but is not a tap with a vnet header)";
  return Error::from_errno(err, context);
}

}  // namespace

Result<std::unique_ptr<Tap>> Tap::open(std::string_view name) {
  VMM_TRY(check_name(name));
  std::string tap_name(name);
  int raw = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (raw < 0) {
    int err = errno;
    const char* hint = err == ENOENT ? " (is the tun module loaded?)"
                       : err == EACCES || err == EPERM ? " (this user may not use it)"
                                                       : "";
    return Error::from_errno(err, "tap " + tap_name + ": open /dev/net/tun" + hint);
  }
  Fd fd(raw);

  ifreq request{};
  std::memcpy(request.ifr_name, tap_name.data(), tap_name.size());
  // IFF_NO_PI: no packet-information prefix; IFF_VNET_HDR: every frame
  // starts with struct virtio_net_hdr, as virtio-net frames do (§5.1.6).
  request.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  if (::ioctl(fd.get(), TUNSETIFF, &request) != 0) return attach_error(errno, tap_name);
  // The VERSION_1 header is 12 bytes (with num_buffers), not the legacy 10.
  int header_size = static_cast<int>(NetDevice::kHeaderSize);
  if (::ioctl(fd.get(), TUNSETVNETHDRSZ, &header_size) != 0)
    return Error::from_errno("tap " + tap_name + ": TUNSETVNETHDRSZ");
  return std::unique_ptr<Tap>(new Tap(std::move(tap_name), std::move(fd)));
}

// A tap read returns one whole frame; one longer than the buffer is cut
// without telling (the device's buffer holds the largest frame a tap
// without offloads can produce).
Result<size_t> Tap::read_frame(std::span<uint8_t> buffer) {
  for (;;) {
    ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Error::from_errno("tap " + name_ + ": read");
  }
}

Result<void> Tap::write_frame(std::span<const uint8_t> frame) {
  for (;;) {
    ssize_t n = ::write(fd_.get(), frame.data(), frame.size());
    if (n >= 0) return ok();
    if (errno != EINTR) return Error::from_errno("tap " + name_ + ": write");
  }
}

}  // namespace vmm::virtio
