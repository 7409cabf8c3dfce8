// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "definition_store.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <vmm/vmm/config_json.hpp>

#include "daemon_error.hpp"

namespace vmmd {
namespace {

class DefinitionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vmmd-store-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { (void)std::system(("rm -rf " + root_).c_str()); }
  DefinitionStore store() {
    auto opened = DefinitionStore::open(root_ + "/state", "/run/vmmkit");
    EXPECT_TRUE(opened.ok());
    return std::move(*opened);
  }
  void write(const std::string& file, const std::string& text) {
    std::ofstream(root_ + "/state/machines/" + file) << text;
  }

  std::string root_;
};

TEST_F(DefinitionStoreTest, PrepareSetsNameAndSockets) {
  auto s = store();
  auto config = s.prepare("web", R"({"kernel": {"path": "/k"}, "console": {"mode": "stdio"}})");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->name, "web");
  EXPECT_EQ(config->console.mode, vmm::ConsoleMode::kSocket);
  EXPECT_EQ(config->console.path, "/run/vmmkit/web/console");
  EXPECT_EQ(config->control.path, "/run/vmmkit/web/control");
}

TEST_F(DefinitionStoreTest, PrepareRejectsWithNamedErrors) {
  auto s = store();
  auto code = [&](const std::string& name, const std::string& json) {
    auto r = s.prepare(name, json);
    return r.ok() ? std::error_code() : r.error().code();
  };
  EXPECT_EQ(code("a/b", R"({"kernel": {"path": "/k"}})"), make_error_code(DaemonErrc::kInvalidArgument));
  EXPECT_EQ(code("web", "{"), make_error_code(DaemonErrc::kInvalidConfig));
  EXPECT_EQ(code("web", R"({"kernel": {"path": "/k"}, "x": 1})"), make_error_code(DaemonErrc::kInvalidConfig));
  EXPECT_EQ(code("web", R"({"name": "db", "kernel": {"path": "/k"}})"), make_error_code(DaemonErrc::kInvalidConfig));
  EXPECT_EQ(code("web", R"({"name": "web", "kernel": {"path": "/k"}})"), std::error_code());
  EXPECT_EQ(code("web", std::string(vmm::kMaxMachineConfigBytes + 1, ' ')), make_error_code(DaemonErrc::kInvalidConfig));
}

TEST_F(DefinitionStoreTest, SaveLoadRoundTripWithAutostart) {
  auto s = store();
  auto config = s.prepare("web", R"({"kernel": {"path": "/k"}, "vcpu": {"num": 2}})");
  ASSERT_TRUE(config.ok());
  ASSERT_TRUE(s.save("web", *config).ok());
  ASSERT_TRUE(s.set_autostart("web", true).ok());
  std::vector<LoadProblem> problems;
  auto loaded = s.load_all(problems);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(loaded[0].name, "web");
  EXPECT_EQ(loaded[0].config, *config);
  EXPECT_TRUE(loaded[0].autostart);
  ASSERT_TRUE(s.remove("web").ok());
  EXPECT_TRUE(s.load_all(problems).empty());
}

TEST_F(DefinitionStoreTest, CorruptFilesAreReportedAndSkipped) {
  auto s = store();
  write("good.json", R"({"name": "good", "kernel": {"path": "/k"}})");
  write("bad.json", "{");
  write("other.json", R"({"name": "good", "kernel": {"path": "/k"}})");
  write("no name!.json", R"({"kernel": {"path": "/k"}})");
  write(".hidden.json", "{");
  write("notes.txt", "{");
  std::vector<LoadProblem> problems;
  auto loaded = s.load_all(problems);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].name, "good");
  ASSERT_EQ(problems.size(), 3u);
  for (const auto& p : problems) {
    EXPECT_EQ(p.path.rfind(root_ + "/state/machines/", 0), 0u);
    EXPECT_FALSE(p.reason.empty());
  }
}

}  // namespace
}  // namespace vmmd
