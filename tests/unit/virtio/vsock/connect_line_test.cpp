// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The host client's "CONNECT <port>" line (Firecracker's hybrid vsock).
#include <gtest/gtest.h>

#include "connect_line.hpp"

namespace vmm::virtio {
namespace {

TEST(ConnectLine, AcceptsThePortInDecimal) {
  EXPECT_EQ(parse_connect_line("CONNECT 52"), 52u);
  EXPECT_EQ(parse_connect_line("CONNECT 4294967295"), 4294967295u);
  EXPECT_EQ(parse_connect_line("CONNECT  7\r"), 7u);  // blanks and a CR are tolerated
}

TEST(ConnectLine, RejectsEverythingElse) {
  EXPECT_FALSE(parse_connect_line(""));
  EXPECT_FALSE(parse_connect_line("CONNECT"));
  EXPECT_FALSE(parse_connect_line("connect 52"));
  EXPECT_FALSE(parse_connect_line("CONNECT 4294967296"));
  EXPECT_FALSE(parse_connect_line("CONNECT -1"));
  EXPECT_FALSE(parse_connect_line("CONNECT 52x"));
  EXPECT_FALSE(parse_connect_line("CONNECT 52 53"));
  EXPECT_FALSE(parse_connect_line("CONNECT " + std::string(40, '1')));
}

}  // namespace
}  // namespace vmm::virtio
