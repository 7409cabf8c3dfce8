// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Creating the device, its configuration space, and guest-initiated
// connections to host listeners at uds_path_PORT (VIRTIO 1.2 §5.10.6.4).
#include <sys/stat.h>

#include <fstream>

#include "vsock_fixture.hpp"

namespace vmm::virtio {
namespace {

using VsockDeviceTest = VsockTest;

TEST_F(VsockDeviceTest, OffersStreamAndTheCommonFeaturesAndReportsTheCid) {
  EXPECT_EQ(device->type(), DeviceType::kVsock);
  EXPECT_EQ(device->features(), kCommonFeatures | VsockDevice::kFStream);
  EXPECT_EQ(device->num_queues(), 3u);
  std::array<uint8_t, 8> config{};
  device->read_config(0, config);
  EXPECT_EQ(config, (std::array<uint8_t, 8>{3, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(VsockDeviceTest, RejectsReservedCids) {
  for (uint64_t cid : {0ull, 1ull, 2ull, 0xffffffffull, 1ull << 40}) {
    auto created = VsockDevice::create(VsockOptions{cid, path("-other")});
    ASSERT_FALSE(created.ok()) << cid;
    EXPECT_EQ(created.error().code(), VsockErrc::kInvalidGuestCid);
  }
}

TEST_F(VsockDeviceTest, ListensAndRemovesItsSocketWhenDestroyed) {
  struct stat info {};
  ASSERT_EQ(::stat(path().c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  device->detach_from(loop);
  device.reset();
  EXPECT_NE(::stat(path().c_str(), &info), 0);
  device = VsockDevice::create(VsockOptions{kGuestCid, path()}).value();  // for the fixture's teardown
  ASSERT_TRUE(device->attach_to(loop).ok());
}

TEST_F(VsockDeviceTest, ReplacesAStaleSocketButNotOtherFiles) {
  Fd stale = listen_at(path("-stale"));
  stale.reset();  // the file stays behind
  auto replaced = VsockDevice::create(VsockOptions{kGuestCid, path("-stale")});
  EXPECT_TRUE(replaced.ok());
  std::ofstream(path("-file")) << "keep me";
  auto refused = VsockDevice::create(VsockOptions{kGuestCid, path("-file")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), VsockErrc::kPathNotASocket);
  auto too_long = VsockDevice::create(VsockOptions{kGuestCid, path(std::string(200, 'x'))});
  EXPECT_FALSE(too_long.ok());
}

TEST_F(VsockDeviceTest, GuestConnectsToAHostListenerAndDataFlowsBothWays) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(8);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  auto response = received();
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->header.is(VsockOp::kResponse));
  EXPECT_EQ(response->header.src_cid, kVsockHostCid);
  EXPECT_EQ(response->header.dst_cid, kGuestCid);
  EXPECT_EQ(response->header.src_port, 5000u);
  EXPECT_EQ(response->header.dst_port, 1234u);
  EXPECT_EQ(response->header.type, kVsockTypeStream);
  EXPECT_EQ(response->header.buf_alloc, 256u * 1024);
  Fd host = accept_from(listener);

  VsockHeader hello = from_guest(VsockOp::kRw, 1234, 5000);
  hello.len = 5;
  send(hello, "hello");
  EXPECT_EQ(read_from(host, 5), "hello");

  write_all_to(host, "world");  // the host echoes
  pump();
  auto data = received();
  ASSERT_TRUE(data);
  EXPECT_TRUE(data->header.is(VsockOp::kRw));
  EXPECT_EQ(data->payload, "world");
  EXPECT_EQ(data->header.dst_port, 1234u);
  EXPECT_EQ(data->header.fwd_cnt, 5u);  // the host consumed "hello"
  EXPECT_EQ(device->connection_count(), 1u);
  EXPECT_GT(signals.used, 0);
}

// Linux negotiates VIRTIO_F_EVENT_IDX and notifies only when avail.idx
// passes avail_event: a device that never moves avail_event hears the
// driver's first packet and none after (seen with Linux 6.1 nested: the
// guest's RESPONSE to a host connection never arrived).
TEST_F(VsockDeviceTest, MovesAvailEventSoTheDriverKeepsNotifying) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(8);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  EXPECT_EQ(tx.avail_event(), 1);
  VsockHeader hello = from_guest(VsockOp::kRw, 1234, 5000);
  hello.len = 2;
  send(hello, "hi");
  EXPECT_EQ(tx.avail_event(), 2);
}

TEST_F(VsockDeviceTest, RefusedConnectGetsRst) {
  activate();
  give_rx_buffers(2);
  send(from_guest(VsockOp::kRequest, 1234, 5001));  // nobody listens at _5001
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_EQ(reply->header.src_port, 5001u);
  EXPECT_EQ(reply->header.dst_port, 1234u);
  EXPECT_EQ(device->connection_count(), 0u);
}

TEST_F(VsockDeviceTest, GuestShutdownFlushesClosesTheHostSocketAndAnswersRst) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(8);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  ASSERT_TRUE(received());
  Fd host = accept_from(listener);
  VsockHeader bye = from_guest(VsockOp::kRw, 1234, 5000);
  bye.len = 3;
  send(bye, "bye");
  VsockHeader shutdown = from_guest(VsockOp::kShutdown, 1234, 5000);
  shutdown.flags = kVsockShutdownRcv | kVsockShutdownSend;
  send(shutdown);
  EXPECT_EQ(read_from(host, 3), "bye");
  EXPECT_TRUE(at_eof(host));
  auto reply = received();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->header.is(VsockOp::kRst));
  EXPECT_EQ(device->connection_count(), 0u);
}

TEST_F(VsockDeviceTest, HostCloseSendsShutdownAndGuestRstFinishes) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(8);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  ASSERT_TRUE(received());
  Fd host = accept_from(listener);
  write_all_to(host, "last words");
  host.reset();
  pump();
  auto packets = received_all();
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].payload, "last words");
  EXPECT_TRUE(packets[1].header.is(VsockOp::kShutdown));
  EXPECT_EQ(packets[1].header.flags, kVsockShutdownRcv | kVsockShutdownSend);
  EXPECT_EQ(device->connection_count(), 1u);  // until the guest's RST
  send(from_guest(VsockOp::kRst, 1234, 5000));
  EXPECT_EQ(device->connection_count(), 0u);
  EXPECT_FALSE(received());
}

TEST_F(VsockDeviceTest, CreditRequestIsAnsweredWithCreditUpdate) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(4);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  ASSERT_TRUE(received());
  send(from_guest(VsockOp::kCreditRequest, 1234, 5000));
  auto update = received();
  ASSERT_TRUE(update);
  EXPECT_TRUE(update->header.is(VsockOp::kCreditUpdate));
  EXPECT_EQ(update->header.buf_alloc, 256u * 1024);
}

TEST_F(VsockDeviceTest, DriverResetClosesEveryConnection) {
  Fd listener = listen_at(path("_5000"));
  activate();
  give_rx_buffers(4);
  send(from_guest(VsockOp::kRequest, 1234, 5000));
  ASSERT_TRUE(received());
  Fd host = accept_from(listener);
  Fd waiting_client = connect_to(path());  // has not sent CONNECT yet
  pump();
  EXPECT_EQ(device->connection_count(), 2u);
  device->reset();
  pump();
  EXPECT_EQ(device->connection_count(), 0u);
  EXPECT_TRUE(at_eof(host));
  EXPECT_TRUE(at_eof(waiting_client));
}

}  // namespace
}  // namespace vmm::virtio
