// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include "json_output.hpp"
#include "property_format.hpp"

namespace vmmctl {
namespace {

PropertyList web() {
  return {{"Name", std::string("web")},
          {"UUID", std::string("")},
          {"State", std::string("running")},
          {"VCPUs", uint64_t{2}},
          {"MemoryMiB", uint64_t{2048}},
          {"Kernel", std::string("/boot/vmlinux")},
          {"Autostart", true},
          {"Unit", std::string("vmm@web.service")},
          {"MainPID", uint64_t{1234}},
          {"StateChangeTimestamp", uint64_t{0}},
          {"ConsoleSocket", std::string("/run/vmmkit/web/console")}};
}

TEST(PropertyFormat, ShowIsKeyEqualsValueWithYesNo) {
  auto text = format_show(web(), {});
  EXPECT_EQ(text.substr(0, 29), "Name=web\nUUID=\nState=running\n");
  EXPECT_NE(text.find("Autostart=yes\n"), std::string::npos);
  EXPECT_NE(text.find("MemoryMiB=2048\n"), std::string::npos);
}

TEST(PropertyFormat, ShowSelectedPropertiesInTheGivenOrder) {
  EXPECT_EQ(format_show(web(), {"State", "Name", "Nope"}), "State=running\nName=web\n");
}

TEST(PropertyFormat, StatusLikeMachinectl) {
  auto text = format_status(web(), 0);
  EXPECT_EQ(text.substr(0, 4), "web\n");
  EXPECT_NE(text.find("       State: running\n"), std::string::npos);
  EXPECT_NE(text.find("    Main PID: 1234\n"), std::string::npos);
  EXPECT_NE(text.find("      Memory: 2G\n"), std::string::npos);
  EXPECT_NE(text.find("   Autostart: yes\n"), std::string::npos);
  EXPECT_EQ(text.find("UUID"), std::string::npos);  // empty values are left out
}

TEST(PropertyFormat, StatusShowsTheAgeOfTheState) {
  auto properties = web();
  properties[9].value = uint64_t{1'000'000'000'000'000};
  auto text = format_status(properties, 1'000'000'000'000'000 + 300'000'000);
  EXPECT_NE(text.find("; 5min ago\n"), std::string::npos) << text;
}

TEST(PropertyFormat, Ages) {
  EXPECT_EQ(format_age(0), "0s");
  EXPECT_EQ(format_age(59), "59s");
  EXPECT_EQ(format_age(60), "1min");
  EXPECT_EQ(format_age(3600), "1h");
  EXPECT_EQ(format_age(3600 + 240), "1h 4min");
  EXPECT_EQ(format_age(3 * 86400 + 3600), "3d 1h");
}

TEST(PropertyFormat, JsonKeepsTypes) {
  auto json = properties_json(web());
  EXPECT_EQ(json["VCPUs"], 2);
  EXPECT_EQ(json["Autostart"], true);
  EXPECT_EQ(json["Name"], "web");
  EXPECT_EQ(json_text(nlohmann::json{{"a", 1}}, JsonMode::kShort), "{\"a\":1}\n");
  EXPECT_EQ(json_text(nlohmann::json{{"a", 1}}, JsonMode::kPretty), "{\n  \"a\": 1\n}\n");
}

TEST(PropertyFormat, InvalidUtf8FromTheDaemonDoesNotThrow) {
  PropertyList bad{{"Name", std::string("\xff\xfe")}};
  EXPECT_NO_THROW(json_text(properties_json(bad), JsonMode::kShort));
}

}  // namespace
}  // namespace vmmctl
