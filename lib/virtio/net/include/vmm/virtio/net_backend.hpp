// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <vmm/base/export.hpp>
#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmm::virtio {

// Where a virtio-net device's frames go and come from. Every frame starts
// with the 12-byte struct virtio_net_hdr_v1 (VIRTIO 1.2 §5.1.6), as a tap
// opened with IFF_VNET_HDR expects, so the header crosses unchanged (after
// the device sanitized it). The fd is non-blocking; the device waits for
// EPOLLIN (edge-triggered) on it in its event loop.
class VMM_API NetBackend {
 public:
  virtual ~NetBackend();
  [[nodiscard]] virtual int fd() const = 0;
  // Reads one frame into `buffer` and returns its full length: more than
  // buffer.size() means the frame was too large and got cut (the device
  // drops it). Nothing to read is an error for which would_block() holds.
  virtual Result<size_t> read_frame(std::span<uint8_t> buffer) = 0;
  // Writes one whole frame; a full host queue is an error for which
  // would_block() holds (the device drops the frame, like a full NIC ring).
  virtual Result<void> write_frame(std::span<const uint8_t> frame) = 0;
};

// True for the EAGAIN/EWOULDBLOCK a non-blocking backend returns.
[[nodiscard]] VMM_API bool would_block(const Error& error);

// A tap interface (Documentation/networking/tuntap.rst): /dev/net/tun with
// TUNSETIFF IFF_TAP | IFF_NO_PI | IFF_VNET_HDR and a 12-byte vnet header
// (TUNSETVNETHDRSZ). Attaches to an existing tap owned by the caller, or
// creates one with CAP_NET_ADMIN. No offloads are enabled (TUNSETOFFLOAD
// stays 0), so the kernel hands over complete, checksummed frames.
class VMM_API Tap final : public NetBackend {
 public:
  // `name`: 1 to 15 bytes (IFNAMSIZ - 1), no '/' or whitespace.
  static Result<std::unique_ptr<Tap>> open(std::string_view name);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] int fd() const override { return fd_.get(); }
  Result<size_t> read_frame(std::span<uint8_t> buffer) override;
  Result<void> write_frame(std::span<const uint8_t> frame) override;

 private:
  Tap(std::string name, Fd fd) : name_(std::move(name)), fd_(std::move(fd)) {}
  std::string name_;
  Fd fd_;
};

// One end of a SOCK_SEQPACKET socketpair: each send is one frame and keeps
// its boundaries, like a tap, without privileges. For tests and fuzzing:
// the other end (peer) plays the host network.
class VMM_API SocketPairBackend final : public NetBackend {
 public:
  struct Pair {
    std::unique_ptr<SocketPairBackend> backend;
    Fd peer;  // blocking, for the test's side
  };
  static Result<Pair> create();

  [[nodiscard]] int fd() const override { return fd_.get(); }
  Result<size_t> read_frame(std::span<uint8_t> buffer) override;
  Result<void> write_frame(std::span<const uint8_t> frame) override;

 private:
  explicit SocketPairBackend(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace vmm::virtio
