// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

KeyValueList parse_ok(std::string_view text, std::initializer_list<std::string_view> rest_keys = {}) {
  auto items = parse_key_values(text, rest_keys);
  EXPECT_TRUE(items.ok()) << items.error().message();
  return items.ok() ? *items : KeyValueList{};
}

TEST(KeyValues, SplitsPairsInOrder) {
  EXPECT_EQ(parse_ok("path=/a,initrd=b"), (KeyValueList{{"path", "/a"}, {"initrd", "b"}}));
  EXPECT_EQ(parse_ok("num=2"), (KeyValueList{{"num", "2"}}));
  EXPECT_EQ(parse_ok("k="), (KeyValueList{{"k", ""}}));
}

TEST(KeyValues, ValuesMayContainEquals) {
  EXPECT_EQ(parse_ok("cmdline=console=ttyS0,path=x"),
            (KeyValueList{{"cmdline", "console=ttyS0"}, {"path", "x"}}));
}

TEST(KeyValues, QuotedValuesMayContainCommas) {
  EXPECT_EQ(parse_ok(R"(cmdline="a,b=c",path=x)"), (KeyValueList{{"cmdline", "a,b=c"}, {"path", "x"}}));
  EXPECT_EQ(parse_ok(R"(path="")"), (KeyValueList{{"path", ""}}));
  EXPECT_EQ(parse_ok(R"(cmdline="a,b",path=x)", {"cmdline"}),
            (KeyValueList{{"cmdline", "a,b"}, {"path", "x"}}));
}

TEST(KeyValues, RestKeyTakesTheRest) {
  EXPECT_EQ(parse_ok("path=k,cmdline=a,b=c,d", {"cmdline"}),
            (KeyValueList{{"path", "k"}, {"cmdline", "a,b=c,d"}}));
  EXPECT_EQ(parse_ok("cmdline=a,path=k", {"cmdline"}), (KeyValueList{{"cmdline", "a,path=k"}}));
  EXPECT_EQ(parse_ok("cmdline=", {"cmdline"}), (KeyValueList{{"cmdline", ""}}));
  EXPECT_EQ(parse_ok("cmdline=a,", {"cmdline"}), (KeyValueList{{"cmdline", "a,"}}));
  EXPECT_EQ(parse_ok("cmdline=a \"b c\" d", {"cmdline"}), (KeyValueList{{"cmdline", "a \"b c\" d"}}));
}

TEST(KeyValues, TheAcceptanceKernelFlag) {
  auto items =
      parse_ok("path=vmmkit-guest,cmdline=console=ttyS0 vmmkit.tests=serial,e820,cmdline,smp,timer,rtc,reset",
               {"cmdline"});
  EXPECT_EQ(items, (KeyValueList{
                       {"path", "vmmkit-guest"},
                       {"cmdline", "console=ttyS0 vmmkit.tests=serial,e820,cmdline,smp,timer,rtc,reset"}}));
}

TEST(KeyValues, RejectsMalformedLists) {
  expect_error(parse_key_values(""), ConfigErrc::kInvalidOption, "expected key=value, got nothing");
  expect_error(parse_key_values("vmlinux"), ConfigErrc::kInvalidOption,
               "expected key=value, got \"vmlinux\"");
  expect_error(parse_key_values("a=1,b"), ConfigErrc::kInvalidOption, "expected key=value, got \"b\"");
  expect_error(parse_key_values("a=1,,b=2"), ConfigErrc::kInvalidOption, "expected key=value, got \"\"");
  expect_error(parse_key_values("=1"), ConfigErrc::kInvalidOption, "missing key before \"=\"");
  expect_error(parse_key_values("a=1,"), ConfigErrc::kInvalidOption,
               "missing key=value after \",\" following \"a\"");
  expect_error(parse_key_values("a=1,a=2"), ConfigErrc::kInvalidOption, "duplicate key \"a\"");
  expect_error(parse_key_values(R"(a="1,b=2)"), ConfigErrc::kInvalidOption,
               "unterminated quote in the value of \"a\"");
  expect_error(parse_key_values(R"(a="1"x,b=2)"), ConfigErrc::kInvalidOption,
               "expected \",\" after the quoted value of \"a\"");
  expect_error(parse_key_values(",a=1"), ConfigErrc::kInvalidOption, "expected key=value");
}

}  // namespace
}  // namespace vmm
