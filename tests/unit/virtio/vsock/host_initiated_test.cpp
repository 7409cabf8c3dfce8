// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Host-initiated connections as in Firecracker's hybrid vsock: a client on
// uds_path sends "CONNECT <port>\n", the guest gets a REQUEST from host CID 2
// and a fresh port, and its RESPONSE makes the client read "OK <port>\n".
#include "vsock_fixture.hpp"

namespace vmm::virtio {
namespace {

using HostInitiatedTest = VsockTest;

TEST_F(HostInitiatedTest, ConnectReachesTheGuestAndDataFlowsBothWays) {
  activate();
  give_rx_buffers(8);
  Fd client = connect_to(path());
  write_all_to(client, "CONNECT 52\n");
  pump();
  auto request = received();
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->header.is(VsockOp::kRequest));
  EXPECT_EQ(request->header.src_cid, kVsockHostCid);
  EXPECT_EQ(request->header.dst_cid, kGuestCid);
  EXPECT_EQ(request->header.dst_port, 52u);
  uint32_t local_port = request->header.src_port;
  EXPECT_GE(local_port, 1u << 30);

  send(from_guest(VsockOp::kResponse, 52, local_port));
  EXPECT_EQ(read_from(client, 64).substr(0, 20), "OK " + std::to_string(local_port) + "\n");

  write_all_to(client, "ping");
  pump();
  auto ping = received();
  ASSERT_TRUE(ping);
  EXPECT_TRUE(ping->header.is(VsockOp::kRw));
  EXPECT_EQ(ping->payload, "ping");
  EXPECT_EQ(ping->header.src_port, local_port);

  VsockHeader pong = from_guest(VsockOp::kRw, 52, local_port);
  pong.len = 4;
  send(pong, "pong");
  EXPECT_EQ(read_from(client, 4), "pong");
}

TEST_F(HostInitiatedTest, BytesAfterTheConnectLineBelongToTheStream) {
  activate();
  give_rx_buffers(8);
  Fd client = connect_to(path());
  write_all_to(client, "CONNECT 52\nearly");
  pump();
  auto request = received();
  ASSERT_TRUE(request);
  send(from_guest(VsockOp::kResponse, 52, request->header.src_port));
  auto early = received();
  ASSERT_TRUE(early);
  EXPECT_EQ(early->payload, "early");
}

TEST_F(HostInitiatedTest, EachClientGetsItsOwnPort) {
  activate();
  give_rx_buffers(8);
  Fd first = connect_to(path());
  Fd second = connect_to(path());
  write_all_to(first, "CONNECT 52\n");
  write_all_to(second, "CONNECT 52\n");
  pump();
  auto packets = received_all();
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_NE(packets[0].header.src_port, packets[1].header.src_port);
}

TEST_F(HostInitiatedTest, ConnectLineSplitAcrossWritesWorks) {
  activate();
  give_rx_buffers(2);
  Fd client = connect_to(path());
  write_all_to(client, "CONN");
  pump();
  write_all_to(client, "ECT 9\n");
  pump();
  auto request = received();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->header.dst_port, 9u);
}

TEST_F(HostInitiatedTest, GarbageOrOverlongLinesCloseTheClient) {
  activate();
  give_rx_buffers(2);
  Fd garbage = connect_to(path());
  write_all_to(garbage, "HELLO 52\n");
  Fd overlong = connect_to(path());
  write_all_to(overlong, std::string(40, 'A'));  // no newline within 32 bytes
  pump();
  EXPECT_TRUE(at_eof(garbage));
  EXPECT_TRUE(at_eof(overlong));
  EXPECT_FALSE(received());
  EXPECT_EQ(device->connection_count(), 0u);
}

TEST_F(HostInitiatedTest, GuestRstClosesTheClient) {
  activate();
  give_rx_buffers(2);
  Fd client = connect_to(path());
  write_all_to(client, "CONNECT 52\n");
  pump();
  auto request = received();
  ASSERT_TRUE(request);
  send(from_guest(VsockOp::kRst, 52, request->header.src_port));
  EXPECT_TRUE(at_eof(client));
  EXPECT_EQ(device->connection_count(), 0u);
}

TEST_F(HostInitiatedTest, RequestWaitsForRxBuffers) {
  activate();
  Fd client = connect_to(path());
  write_all_to(client, "CONNECT 52\n");
  pump();
  EXPECT_FALSE(received());
  give_rx_buffers(1);
  auto request = received();
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->header.is(VsockOp::kRequest));
}

}  // namespace
}  // namespace vmm::virtio
