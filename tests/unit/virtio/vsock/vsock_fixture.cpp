// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "vsock_fixture.hpp"

#include <poll.h>

#include <cerrno>
#include <cstring>

namespace vmm::virtio {
namespace {

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vmmkit-vsock-XXXXXX").string();
  EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
  return pattern;
}

sockaddr_un address_of(const std::string& socket_path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  return address;
}

}  // namespace

VsockTest::VsockTest()
    : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), 8 << 20}}).value()),
      loop(EventLoop::create().value()),
      rx(memory, GuestAddress(0x1000), kRingSize),
      tx(memory, GuestAddress(0x3000), kRingSize),
      events(memory, GuestAddress(0x5000), kRingSize),
      dir_(make_temp_dir()) {
  auto created = VsockDevice::create(VsockOptions{kGuestCid, path()});
  EXPECT_TRUE(created.ok()) << created.error().message();
  device = std::move(created).value();
  EXPECT_TRUE(device->attach_to(loop).ok());
}

VsockTest::~VsockTest() {
  device->detach_from(loop);
  device.reset();
  std::filesystem::remove_all(dir_);
}

void VsockTest::activate() {
  std::vector<Queue> queues;
  for (testing::MockQueue* driver : {&rx, &tx, &events}) {
    queues.push_back(Queue::create(VsockDevice::kQueueSize).value());
    driver->configure(queues.back(), true);
  }
  ASSERT_TRUE(device->activate(memory, std::move(queues), device->features(), signals).ok());
  pump();
}

void VsockTest::give_rx_buffers(int count, uint32_t size) {
  for (int i = 0; i < count; ++i) {
    // Single-descriptor chains: the head is the descriptor index, which names the buffer.
    testing::Buffer buffer{0, size, true};
    uint16_t head = rx.add_chain(std::span(&buffer, 1));
    rx.write_descriptor(head, RawDescriptor{kRxBuffers + head * uint64_t{kRxBufferSize}, size, kDescFWrite, 0});
  }
  ASSERT_TRUE(device->queue_event(VsockDevice::kRxQueue).write(1).ok());
  pump();
}

VsockHeader VsockTest::from_guest(VsockOp op, uint32_t guest_port, uint32_t host_port, uint32_t buf_alloc,
                                  uint32_t fwd_cnt) {
  VsockHeader header;
  header.src_cid = kGuestCid;
  header.dst_cid = kVsockHostCid;
  header.src_port = guest_port;
  header.dst_port = host_port;
  header.op = static_cast<uint16_t>(op);
  header.buf_alloc = buf_alloc;
  header.fwd_cnt = fwd_cnt;
  return header;
}

void VsockTest::send(VsockHeader header, const std::string& payload) {
  auto bytes = encode_vsock_header(header);
  uint16_t slot = tx.avail_idx() % kRingSize;
  uint64_t addr = kTxBuffers + slot * kTxBufferSize;
  ASSERT_LE(bytes.size() + payload.size(), kTxBufferSize);
  ASSERT_TRUE(memory.write(GuestAddress(addr), bytes).ok());
  ASSERT_TRUE(memory.write(GuestAddress(addr + bytes.size()),
                           std::span(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()))
                  .ok());
  testing::Buffer buffer{addr, static_cast<uint32_t>(bytes.size() + payload.size()), false};
  tx.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->queue_event(VsockDevice::kTxQueue).write(1).ok());
  pump();
}

std::optional<Packet> VsockTest::received() {
  if (rx.used_idx() == rx_seen) return std::nullopt;
  testing::UsedElem used = rx.used(rx_seen++);
  EXPECT_GE(used.len, kVsockHeaderSize);
  if (used.len < kVsockHeaderSize) return Packet{};
  uint64_t addr = kRxBuffers + used.id * uint64_t{kRxBufferSize};
  std::array<uint8_t, kVsockHeaderSize> bytes{};
  EXPECT_TRUE(memory.read(GuestAddress(addr), bytes).ok());
  Packet packet{decode_vsock_header(bytes), {}};
  EXPECT_EQ(packet.header.len, used.len - kVsockHeaderSize);
  packet.payload.resize(packet.header.len);
  EXPECT_TRUE(memory
                  .read(GuestAddress(addr + kVsockHeaderSize),
                        std::span(reinterpret_cast<uint8_t*>(packet.payload.data()), packet.payload.size()))
                  .ok());
  return packet;
}

std::vector<Packet> VsockTest::received_all() {
  std::vector<Packet> packets;
  while (auto packet = received()) packets.push_back(std::move(*packet));
  return packets;
}

void VsockTest::pump(int rounds) {
  for (int i = 0; i < rounds; ++i) ASSERT_TRUE(loop.run_once(0).ok());
}

Fd VsockTest::listen_at(const std::string& socket_path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address = address_of(socket_path);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  EXPECT_EQ(::listen(fd.get(), 8), 0);
  return fd;
}

Fd VsockTest::connect_to(const std::string& socket_path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address = address_of(socket_path);
  EXPECT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  return fd;
}

Fd VsockTest::accept_from(const Fd& listener) {
  pollfd ready{listener.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&ready, 1, 1000), 1);
  return Fd(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
}

void VsockTest::write_all_to(const Fd& fd, const std::string& data) {
  ASSERT_TRUE(write_all(fd.get(), data.data(), data.size()).ok());
}

std::string VsockTest::read_from(const Fd& fd, size_t want) {
  std::string data;
  while (data.size() < want) {
    pollfd ready{fd.get(), POLLIN, 0};
    if (::poll(&ready, 1, 1000) != 1) break;
    char buffer[4096];
    ssize_t n = ::recv(fd.get(), buffer, std::min(sizeof(buffer), want - data.size()), 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

bool VsockTest::at_eof(const Fd& fd) {
  pollfd ready{fd.get(), POLLIN, 0};
  if (::poll(&ready, 1, 1000) != 1) return false;
  char byte;
  // Closing a socket with unread input resets the peer instead of an EOF.
  ssize_t n = ::recv(fd.get(), &byte, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

}  // namespace vmm::virtio
