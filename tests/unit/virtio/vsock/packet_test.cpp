// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// struct virtio_vsock_hdr (VIRTIO 1.2 §5.10.6): 44 packed little-endian bytes.
#include <gtest/gtest.h>

#include <vmm/virtio/vsock_packet.hpp>

namespace vmm::virtio {
namespace {

TEST(VsockPacket, EncodesEveryFieldAtItsOffset) {
  VsockHeader header{0x0102030405060708, 2, 0x11121314, 0x21222324, 0x31323334, 1, 5, 3, 0x41424344, 0x51525354};
  auto bytes = encode_vsock_header(header);
  EXPECT_EQ(bytes[0], 0x08);   // src_cid, low byte first
  EXPECT_EQ(bytes[7], 0x01);
  EXPECT_EQ(bytes[8], 0x02);   // dst_cid
  EXPECT_EQ(bytes[16], 0x14);  // src_port
  EXPECT_EQ(bytes[20], 0x24);  // dst_port
  EXPECT_EQ(bytes[24], 0x34);  // len
  EXPECT_EQ(bytes[28], 1);     // type
  EXPECT_EQ(bytes[30], 5);     // op
  EXPECT_EQ(bytes[32], 3);     // flags
  EXPECT_EQ(bytes[36], 0x44);  // buf_alloc
  EXPECT_EQ(bytes[43], 0x51);  // fwd_cnt, high byte last
}

TEST(VsockPacket, DecodeInvertsEncode) {
  VsockHeader header{3, 2, 1234, 5000, 17, 1, 7, 0, 65536, 99};
  EXPECT_EQ(decode_vsock_header(encode_vsock_header(header)), header);
}

}  // namespace
}  // namespace vmm::virtio
