// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <string>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

struct Rejection {
  const char* json;
  ConfigErrc code;
  const char* message;  // a substring of Error::message()
};

void PrintTo(const Rejection& r, std::ostream* os) { *os << r.json; }

class ConfigRejects : public ::testing::TestWithParam<Rejection> {};

TEST_P(ConfigRejects, WithAMessageNamingTheProblem) {
  const Rejection& r = GetParam();
  testing::expect_error(parse_machine_config(r.json), r.code, r.message);
}

#define K R"("kernel": {"path": "k"})"

INSTANTIATE_TEST_SUITE_P(
    Syntax, ConfigRejects,
    ::testing::Values(
        Rejection{"", ConfigErrc::kSyntax, "line 1, column 1"},
        Rejection{"{", ConfigErrc::kSyntax, "line 1, column 2"},
        Rejection{"{\n  \"kernel\": {\"path\": \"k\"},\n  }", ConfigErrc::kSyntax, "line 3, column 3"},
        Rejection{R"({"kernel": {"path": 'k'}})", ConfigErrc::kSyntax, "line 1, column 21"},
        Rejection{"{" K "} trailing", ConfigErrc::kSyntax, "line 1"},
        Rejection{"{\"kernel\": {\"path\": \"k\x01\"}}", ConfigErrc::kSyntax, "control character"},
        Rejection{"{\"kernel\": {\"path\": \"\xff\"}}", ConfigErrc::kSyntax, "invalid string"},
        Rejection{R"({"kernel": {"path": [[[[[[]]]]]]}})", ConfigErrc::kSyntax,
                  "nested deeper than 5 levels"},
        Rejection{"[]", ConfigErrc::kWrongType, "the document must be an object, got array"},
        Rejection{"null", ConfigErrc::kWrongType, "the document must be an object, got null"}));

INSTANTIATE_TEST_SUITE_P(
    Keys, ConfigRejects,
    ::testing::Values(
        Rejection{"{" K R"(, "memroy": {}})", ConfigErrc::kUnknownKey, "unknown key \"memroy\""},
        Rejection{"{" K R"(, "vcpu": {"count": 2}})", ConfigErrc::kUnknownKey, "unknown key \"vcpu.count\""},
        Rejection{R"({"kernel": {"path": "k", "args": ""}})", ConfigErrc::kUnknownKey,
                  "unknown key \"kernel.args\""},
        Rejection{"{" K R"(, "console": {"mode": "none", "file": "x"}})", ConfigErrc::kUnknownKey,
                  "unknown key \"console.file\""},
        Rejection{"{" K R"(, "disks": []})", ConfigErrc::kUnknownKey, "unknown key \"disks\""},
        Rejection{"{" K R"(, "acpi": 1})", ConfigErrc::kWrongType, "\"acpi\""},
        Rejection{"{" K R"(, "vcpu": {"num": 1, "num": 2}})", ConfigErrc::kUnknownKey,
                  "duplicate key \"num\""},
        Rejection{"{" K ", " K "}", ConfigErrc::kUnknownKey, "duplicate key \"kernel\""},
        Rejection{"{\"kernel\": {\"path\": \"k\"}, \"bad\\u0001key\": 1}", ConfigErrc::kUnknownKey,
                  "unknown key \"bad?key\""},
        Rejection{"{}", ConfigErrc::kMissingKey, "\"kernel\" is required"},
        Rejection{R"({"kernel": {"cmdline": "x"}})", ConfigErrc::kMissingKey, "\"kernel.path\" is required"},
        Rejection{"{" K R"(, "console": {"mode": "socket"}})", ConfigErrc::kMissingKey,
                  "\"console.path\" is required with console mode \"socket\""}));

INSTANTIATE_TEST_SUITE_P(
    Types, ConfigRejects,
    ::testing::Values(Rejection{R"({"kernel": "vmlinux"})", ConfigErrc::kWrongType,
                                "\"kernel\" must be an object, got string"},
                      Rejection{R"({"kernel": {"path": 7}})", ConfigErrc::kWrongType,
                                "\"kernel.path\" must be a string, got integer"},
                      Rejection{"{" K R"(, "vcpu": {"num": "2"}})", ConfigErrc::kWrongType,
                                "\"vcpu.num\" must be an integer, got string"},
                      Rejection{"{" K R"(, "vcpu": {"num": 2.0}})", ConfigErrc::kWrongType,
                                "\"vcpu.num\" must be an integer, got number"},
                      Rejection{"{" K R"(, "memory": {"size_mib": "512M"}})", ConfigErrc::kWrongType,
                                "\"memory.size_mib\" must be an integer, got string"},
                      Rejection{"{" K R"(, "memory": {"hugepages": 1}})", ConfigErrc::kWrongType,
                                "\"memory.hugepages\" must be true or false, got integer"},
                      Rejection{"{" K R"(, "name": null})", ConfigErrc::kWrongType,
                                "\"name\" must be a string, got null"},
                      Rejection{"{" K R"(, "control": [])", ConfigErrc::kSyntax, "line"},
                      Rejection{"{" K R"(, "control": []})", ConfigErrc::kWrongType,
                                "\"control\" must be an object, got array"}));

INSTANTIATE_TEST_SUITE_P(
    Values, ConfigRejects,
    ::testing::Values(
        Rejection{"{" K R"(, "vcpu": {"num": 0}})", ConfigErrc::kInvalidValue,
                  "\"vcpu.num\" must be 1..254, got 0"},
        Rejection{"{" K R"(, "vcpu": {"num": 255}})", ConfigErrc::kInvalidValue,
                  "\"vcpu.num\" must be 1..254, got 255"},
        Rejection{"{" K R"(, "vcpu": {"num": -1}})", ConfigErrc::kInvalidValue,
                  "\"vcpu.num\" must be 1..254, got -1"},
        Rejection{"{" K R"(, "vcpu": {"num": 18446744073709551616}})", ConfigErrc::kWrongType, "got number"},
        Rejection{"{" K R"(, "memory": {"size_mib": 0}})", ConfigErrc::kInvalidValue,
                  "\"memory.size_mib\" must be 1..16777216, got 0"},
        Rejection{"{" K R"(, "memory": {"size_mib": 16777217}})", ConfigErrc::kInvalidValue, "got 16777217"},
        Rejection{"{" K R"(, "shutdown_timeout_s": 86401})", ConfigErrc::kInvalidValue,
                  "\"shutdown_timeout_s\""},
        Rejection{"{" K R"(, "name": ""})", ConfigErrc::kInvalidValue, "\"name\" must be 1-64 characters"},
        Rejection{"{" K R"(, "name": "-vm"})", ConfigErrc::kInvalidValue, "\"name\" must be"},
        Rejection{"{" K R"(, "name": "my vm"})", ConfigErrc::kInvalidValue, "\"name\" must be"},
        Rejection{"{" K R"(, "name": "a/b"})", ConfigErrc::kInvalidValue, "\"name\" must be"},
        Rejection{"{" K R"(, "uuid": "0123abcd-89ab-cdef-0123-456789abcdeg"})", ConfigErrc::kInvalidValue,
                  "\"uuid\" must be a UUID"},
        Rejection{"{" K R"(, "uuid": "0123abcd89abcdef0123456789abcdef"})", ConfigErrc::kInvalidValue,
                  "\"uuid\""},
        Rejection{R"({"kernel": {"path": ""}})", ConfigErrc::kInvalidValue,
                  "\"kernel.path\" must not be empty"},
        Rejection{R"({"kernel": {"path": "a\nb"}})", ConfigErrc::kInvalidValue,
                  "\"kernel.path\" must not contain control"},
        Rejection{R"({"kernel": {"path": "k", "cmdline": "a\u0000b"}})", ConfigErrc::kInvalidValue,
                  "\"kernel.cmdline\" must be printable ASCII"},
        Rejection{R"({"kernel": {"path": "k", "cmdline": "a\tb"}})", ConfigErrc::kInvalidValue,
                  "printable ASCII"},
        Rejection{R"({"kernel": {"path": "k", "cmdline": "caf\u00e9"}})", ConfigErrc::kInvalidValue,
                  "printable ASCII"},
        Rejection{R"({"kernel": {"path": "k", "initrd": ""}})", ConfigErrc::kInvalidValue,
                  "\"kernel.initrd\""},
        Rejection{R"({"kernel": {"path": "k", "boot": "efi"}})", ConfigErrc::kInvalidValue,
                  "\"kernel.boot\" must be \"auto\", \"linux64\" or \"pvh\", got \"efi\""},
        Rejection{R"({"kernel": {"path": "k", "boot": 1}})", ConfigErrc::kWrongType,
                  "\"kernel.boot\" must be a string, got integer"},
        Rejection{"{" K R"(, "console": {"mode": "tty"}})", ConfigErrc::kInvalidValue,
                  "\"console.mode\" must be \"stdio\", \"socket\", \"file\" or \"none\", got \"tty\""},
        Rejection{"{" K R"(, "console": {"path": "/x"}})", ConfigErrc::kInvalidValue,
                  "\"console.path\" is only allowed with console mode"},
        Rejection{"{" K R"(, "on_reboot": "reset"})", ConfigErrc::kInvalidValue,
                  "\"on_reboot\" must be \"exit\" or \"restart\", got \"reset\""}));

#undef K

TEST(ConfigRejectsLarge, CmdlineOverTheLimit) {
  std::string json =
      R"({"kernel": {"path": "k", "cmdline": ")" + std::string(kMaxCmdlineBytes + 1, 'x') + "\"}}";
  testing::expect_error(parse_machine_config(json), ConfigErrc::kInvalidValue, "is 65537 bytes");
  json = R"({"kernel": {"path": "k", "cmdline": ")" + std::string(kMaxCmdlineBytes, 'x') + "\"}}";
  EXPECT_TRUE(parse_machine_config(json).ok());
}

TEST(ConfigRejectsLarge, SocketPathOverSunPath) {
  std::string path(kMaxSocketPathLength + 1, 's');
  std::string json = R"({"kernel": {"path": "k"}, "control": {"path": ")" + path + "\"}}";
  testing::expect_error(parse_machine_config(json), ConfigErrc::kInvalidValue,
                        "\"control.path\" is longer than");
}

TEST(ConfigRejectsLarge, DocumentOverTheLimit) {
  std::string json = R"({"kernel": {"path": "k"}})" + std::string(kMaxMachineConfigBytes, '\n');
  testing::expect_error(parse_machine_config(json), ConfigErrc::kTooLarge, "the limit is 1048576");
}

TEST(ConfigRejectsLarge, DeepNestingDoesNotExhaustTheStack) {
  std::string json =
      R"({"kernel": {"path": "k"}, "x": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  testing::expect_error(parse_machine_config(json), ConfigErrc::kSyntax, "nested deeper");
}

}  // namespace
}  // namespace vmm
