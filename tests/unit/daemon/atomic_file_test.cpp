// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "atomic_file.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace vmmd {
namespace {

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vmmd-atomic-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    path_ = pattern;
    auto dir = open_directory(path_, false);
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
  }
  void TearDown() override { (void)std::system(("rm -rf " + path_).c_str()); }

  std::string read(const std::string& name) {
    std::ifstream in(path_ + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::vector<std::string> entries() {
    std::vector<std::string> names;
    DIR* d = opendir(path_.c_str());
    while (dirent* e = readdir(d)) {
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") names.emplace_back(e->d_name);
    }
    closedir(d);
    return names;
  }

  std::string path_;
  vmm::Fd dir_;
};

TEST_F(AtomicFileTest, WritesReplacesByRenameAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(write_file_atomically(dir_, "a.json", "one", 0644).ok());
  struct stat first {};
  ASSERT_EQ(stat((path_ + "/a.json").c_str(), &first), 0);
  EXPECT_EQ(first.st_mode & 0777, 0644u);
  ASSERT_TRUE(write_file_atomically(dir_, "a.json", "two", 0600).ok());
  struct stat second {};
  ASSERT_EQ(stat((path_ + "/a.json").c_str(), &second), 0);
  EXPECT_NE(first.st_ino, second.st_ino);  // a new file took the name
  EXPECT_EQ(second.st_mode & 0777, 0600u);
  EXPECT_EQ(read("a.json"), "two");
  EXPECT_EQ(entries(), std::vector<std::string>{"a.json"});
}

TEST_F(AtomicFileTest, AFailedWriteLeavesTheOldFile) {
  ASSERT_TRUE(write_file_atomically(dir_, "a.json", "old", 0644).ok());
  // Renaming over a directory fails after the temporary file was written.
  ASSERT_EQ(mkdir((path_ + "/d.json").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((path_ + "/d.json/x").c_str(), 0755), 0);
  EXPECT_FALSE(write_file_atomically(dir_, "d.json", "new", 0644).ok());
  EXPECT_EQ(read("a.json"), "old");
  auto names = entries();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.json", "d.json"}));
}

TEST_F(AtomicFileTest, RemoveIsIdempotent) {
  ASSERT_TRUE(write_file_atomically(dir_, "a", "", 0644).ok());
  EXPECT_TRUE(remove_file_durably(dir_, "a").ok());
  EXPECT_TRUE(remove_file_durably(dir_, "a").ok());
  EXPECT_TRUE(entries().empty());
}

}  // namespace
}  // namespace vmmd
