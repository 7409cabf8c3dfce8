// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Disassembles the generated tables with ACPICA's iasl (package
// acpica-tools) and checks that it decodes the devices we meant and reports
// no errors. Skips, loudly, when iasl is not installed.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_config.hpp"

namespace vmm::acpi {
namespace {

namespace fs = std::filesystem;

bool have_iasl() { return std::system("command -v iasl >/dev/null 2>&1") == 0; }

struct Disassembly {
  int exit_code = -1;
  std::string output;  // iasl's own messages
  std::string dsl;     // the disassembled table
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Disassembly disassemble(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  const fs::path aml = dir / (name + ".dat");
  std::ofstream(aml, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const fs::path log = dir / (name + ".log");
  const std::string command =
      "cd '" + dir.string() + "' && iasl -d '" + aml.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(log), read_text(dir / (name + ".dsl"))};
}

class Iasl : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_iasl()) {
      std::fprintf(stderr,
                   "\n*** SKIPPING the iasl disassembly tests: iasl not found. Install it with "
                   "`apt-get install acpica-tools` (Fedora: dnf install acpica-tools). ***\n\n");
      GTEST_SKIP() << "iasl (acpica-tools) is not installed";
    }
    char pattern[] = "/tmp/vmm-acpi-iasl-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    auto tables = build_acpi_tables(test::typical_config(4));
    ASSERT_TRUE(tables.ok()) << tables.error().message();
    tables_ = std::move(tables).value();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  Disassembly table(const std::string& signature) {
    for (const AcpiTable& t : tables_.tables)
      if (t.signature == signature) return disassemble(dir_, signature, t.bytes);
    ADD_FAILURE() << "no " << signature;
    return {};
  }
  static void expect_clean(const Disassembly& d) {
    EXPECT_EQ(d.exit_code, 0) << d.output;
    EXPECT_EQ(d.output.find("Error"), std::string::npos) << d.output;
    EXPECT_EQ(d.output.find("Invalid"), std::string::npos) << d.output;
    EXPECT_FALSE(d.dsl.empty()) << d.output;
  }

  fs::path dir_;
  AcpiTables tables_;
};

void expect_contains(const std::string& text, const std::string& what) {
  EXPECT_NE(text.find(what), std::string::npos) << "missing: " << what << "\n" << text;
}

TEST_F(Iasl, DsdtDecodesToTheDevices) {
  const Disassembly d = table("DSDT");
  expect_clean(d);
  expect_contains(d.dsl, "Device (COM1)");
  expect_contains(d.dsl, "EisaId (\"PNP0501\")");
  expect_contains(d.dsl, "IO (Decode16,\n                    0x03F8,");
  expect_contains(d.dsl, "Device (RTC)");
  expect_contains(d.dsl, "EisaId (\"PNP0B00\")");
  expect_contains(d.dsl, "IO (Decode16,\n                    0x0070,             // Range Minimum\n"
                         "                    0x0070,             // Range Maximum\n"
                         "                    0x01,               // Alignment\n"
                         "                    0x02,               // Length");
  expect_contains(d.dsl, "Device (PEVT)");
  expect_contains(d.dsl, "\"QEMU0001\"");
  expect_contains(d.dsl, "IO (Decode16,\n                    0x0505,             // Range Minimum\n"
                         "                    0x0505,             // Range Maximum\n"
                         "                    0x01,               // Alignment\n"
                         "                    0x01,               // Length");
  expect_contains(d.dsl, "Device (VR00)");
  expect_contains(d.dsl, "Device (VR01)");
  expect_contains(d.dsl, "\"LNRO0005\"");
  expect_contains(d.dsl,
                  "Memory32Fixed (ReadWrite,\n                    0xD0001000,         // Address Base\n"
                  "                    0x00001000,         // Address Length");
  expect_contains(d.dsl,
                  "Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive, ,, )\n"
                  "                {\n                    0x00000006,");
  expect_contains(d.dsl, "Device (PWRB)");
  expect_contains(d.dsl, "EisaId (\"PNP0C0C\")");
  expect_contains(d.dsl, "Device (GED)");
  expect_contains(d.dsl, "\"ACPI0013\"");
  expect_contains(d.dsl, "OperationRegion (GDST, SystemMemory, 0xFED00000, 0x04)");
  expect_contains(d.dsl, "Method (_EVT, 1, Serialized)");
  expect_contains(d.dsl, "Notify (\\_SB.PWRB, 0x80)");
  expect_contains(d.dsl, "Name (_S5, Package (0x02)");
  // The disassembly compiles again without errors or warnings.
  const std::string command = "cd '" + dir_.string() + "' && iasl DSDT.dsl 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[256];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) output += chunk;
  EXPECT_EQ(pclose(pipe), 0) << output;
  expect_contains(output, "0 Errors, 0 Warnings");
}

TEST_F(Iasl, FadtDecodes) {
  const Disassembly d = table("FACP");
  expect_clean(d);
  expect_contains(d.dsl, "Hardware Reduced (V5) : 1");
  expect_contains(d.dsl, "8042 Present on ports 60/64 (V2) : 1");
  expect_contains(d.dsl, "Space ID : 01 [SystemIO]");
  expect_contains(d.dsl, "Address : 0000000000000600");
  expect_contains(d.dsl, "Hypervisor ID : 000054494B4D4D56");
}

TEST_F(Iasl, MadtDecodes) {
  const Disassembly d = table("APIC");
  expect_clean(d);
  expect_contains(d.dsl, "Local Apic Address : FEE00000");
  expect_contains(d.dsl, "Address : FEC00000");
  expect_contains(d.dsl, "Local Apic ID : 03");
  size_t cpus = 0;
  for (size_t at = d.dsl.find("[Processor Local APIC]"); at != std::string::npos;
       at = d.dsl.find("[Processor Local APIC]", at + 1))
    ++cpus;
  EXPECT_EQ(cpus, 4U);
}

}  // namespace
}  // namespace vmm::acpi
