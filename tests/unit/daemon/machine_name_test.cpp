// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_name.hpp"

#include <gtest/gtest.h>

#include "daemon_error.hpp"

namespace vmmd {
namespace {

TEST(MachineName, AcceptsTheDocumentedAlphabet) {
  for (const char* name : {"a", "Z", "0", "web-1", "db_2.prod", "A.b-c_d", "9lives"}) {
    EXPECT_TRUE(check_machine_name(name).ok()) << name;
  }
  EXPECT_TRUE(check_machine_name(std::string(64, 'x')).ok());
}

TEST(MachineName, RejectsEverythingElseAsInvalidArgument) {
  for (std::string name : {std::string(), std::string(65, 'x'), std::string("-a"), std::string(".a"),
                           std::string("_a"), std::string("a/b"), std::string("a b"), std::string(".."),
                           std::string("a\nb"), std::string("\xc3\xa9t\xc3\xa9"), std::string("a\0b", 3),
                           std::string("a@b"), std::string("a:b")}) {
    auto result = check_machine_name(name);
    ASSERT_FALSE(result.ok()) << name;
    EXPECT_EQ(result.error().code(), make_error_code(DaemonErrc::kInvalidArgument));
    EXPECT_STREQ(bus_error_name(result.error()), "org.vmmkit.vmm1.Error.InvalidArgument");
  }
}

TEST(MachineName, MessagesEscapeHostileBytes) {
  auto result = check_machine_name("a\x01\"b");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(bus_error_message(result.error()).find("\\x01"), std::string::npos);
  EXPECT_EQ(bus_error_message(result.error()).find('\x01'), std::string::npos);
}

TEST(MachineName, UnitName) { EXPECT_EQ(unit_name_for("web-1"), "vmm@web-1.service"); }

}  // namespace
}  // namespace vmmd
