// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/error.hpp>

#include "exit_status.hpp"
#include "machine_name.hpp"

namespace vmmctl {
namespace {

TEST(ExitStatus, EveryVmmdErrorNameHasItsStatus) {
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.NoSuchMachine"), Failure::kNoSuchMachine);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.MachineExists"), Failure::kMachineExists);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.InvalidArgument"), Failure::kUsage);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.InvalidConfig"), Failure::kUsage);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.InvalidState"), Failure::kInvalidState);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.AccessDenied"), Failure::kAccessDenied);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.Timeout"), Failure::kFailed);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.Failed"), Failure::kFailed);
}

TEST(ExitStatus, BusErrorsAboutTheDaemonAndPermissions) {
  EXPECT_EQ(failure_for_dbus_error("org.freedesktop.DBus.Error.ServiceUnknown"), Failure::kDaemonUnreachable);
  EXPECT_EQ(failure_for_dbus_error("org.freedesktop.DBus.Error.NameHasNoOwner"), Failure::kDaemonUnreachable);
  EXPECT_EQ(failure_for_dbus_error("org.freedesktop.DBus.Error.AccessDenied"), Failure::kAccessDenied);
  EXPECT_EQ(failure_for_dbus_error("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"),
            Failure::kAccessDenied);
}

TEST(ExitStatus, UnknownNamesAreGenericFailures) {
  EXPECT_EQ(failure_for_dbus_error(""), Failure::kFailed);
  EXPECT_EQ(failure_for_dbus_error("org.vmmkit.vmm1.Error.NoSuchMachineX"), Failure::kFailed);
  EXPECT_EQ(failure_for_dbus_error("com.example.Whatever"), Failure::kFailed);
}

TEST(ExitStatus, FromErrors) {
  EXPECT_EQ(exit_status(vmm::Error(Failure::kNoSuchMachine, "x")), 4);
  EXPECT_EQ(exit_status(vmm::Error(Failure::kDaemonUnreachable, "x")), 6);
  EXPECT_EQ(exit_status(vmm::Error(vmm::ConfigErrc::kSyntax, "x")), 2);
  EXPECT_EQ(exit_status(vmm::Error(std::make_error_code(std::errc::io_error), "x")), 1);
}

TEST(MachineName, AcceptsTheDaemonsAlphabet) {
  EXPECT_TRUE(check_machine_name("web"));
  EXPECT_TRUE(check_machine_name("0db_1.test-2"));
  EXPECT_TRUE(check_machine_name(std::string(64, 'a')));
}

TEST(MachineName, RefusesWithAUsageError) {
  for (std::string bad : {std::string(), std::string(65, 'a'), std::string("-x"), std::string(".hidden"),
                          std::string("a/b"), std::string("a b"), std::string("x\n"), std::string("ä")}) {
    auto r = check_machine_name(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(exit_status(r.error()), 2);
  }
  EXPECT_EQ(error_text(check_machine_name("a\x1b").error()),
            "invalid machine name \"a?\": only letters, digits, '_', '.' and '-' are allowed");
}

}  // namespace
}  // namespace vmmctl
