// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The dispatcher without a bus: usage errors must be found before vmmctl
// connects (the bus address points nowhere, so a connection would exit 6).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <sstream>
#include <string>
#include <vector>

#include "command_line.hpp"

namespace vmmctl {
namespace {

struct Run {
  int status;
  std::string out, err;
};

Run run(std::vector<const char*> args) {
  setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/vmmctl-test-bus", 1);
  args.insert(args.begin(), "vmmctl");
  std::ostringstream out, err;
  CreateDefaults defaults{"/g", "console=ttyS0 vmmkit.serve", "console=ttyS0", "/run/vmmkit", "/"};
  int status = run_vmmctl(static_cast<int>(args.size()), args.data(), defaults, out, err);
  return {status, out.str(), err.str()};
}

TEST(CommandLine, HelpListsVerbsAndExitStatuses) {
  auto r = run({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* word :
       {"create", "define", "console", "dumpconfig", "autostart", "Exit status", "4  no such"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

TEST(CommandLine, VerbHelp) {
  auto r = run({"create", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--memory"), std::string::npos);
}

TEST(CommandLine, UsageErrorsExitTwoBeforeAnyBusCall) {
  std::vector<std::vector<const char*>> cases = {
      {},
      {"frobnicate"},
      {"start"},
      {"start", "bad/name"},
      {"status", "-leading-dash-is-an-option"},
      {"create", "x y"},
      {"create", "demo", "--memory", "lots"},
      {"create", "demo", "--memory", "0"},
      {"create", "demo", "--vcpus", "0"},
      {"create", "demo", "--vcpus", "255"},
      {"create", "demo", "--vsock", "2"},
      {"create", "demo", "--net", "eth0"},
      {"stop", "demo", "--timeout", "-1"},
      {"autostart", "demo", "maybe"},
      {"list", "--json=yaml"},
      {"list", "extra"},
      {"define", "/nonexistent/vmmctl.json"},
  };
  for (const auto& args : cases) {
    auto r = run(args);
    std::string shown;
    for (const auto* a : args) shown += std::string(a) + " ";
    EXPECT_EQ(r.status, 2) << shown << r.err;
    EXPECT_EQ(r.err.rfind("vmmctl: ", 0), 0u) << shown << r.err;
  }
}

TEST(CommandLine, NoBusIsExitSix) {
  auto r = run({"list"});
  EXPECT_EQ(r.status, 6);
  EXPECT_NE(r.err.find("vmmctl: cannot connect to the system bus"), std::string::npos) << r.err;
}

TEST(CommandLine, GlobalOptionsAlsoAfterTheVerb) {
  EXPECT_EQ(run({"list", "--no-legend", "-q", "--json=short"}).status, 6);
  EXPECT_EQ(run({"--json", "pretty", "list"}).status, 6);
}

TEST(CommandLine, VersionWorksWithoutTheDaemon) {
  auto r = run({"version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("vmmctl (vmmkit) ", 0), 0u);
}

}  // namespace
}  // namespace vmmctl
