// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "guest_state.hpp"

#include <gtest/gtest.h>

#include "machine.hpp"

namespace vmmd {
namespace {

TEST(GuestState, FromUnitActiveState) {
  EXPECT_EQ(guest_state_from("inactive", false), GuestState::kStopped);
  EXPECT_EQ(guest_state_from("activating", false), GuestState::kStarting);
  EXPECT_EQ(guest_state_from("active", false), GuestState::kRunning);
  EXPECT_EQ(guest_state_from("active", true), GuestState::kPaused);
  EXPECT_EQ(guest_state_from("reloading", false), GuestState::kRunning);
  EXPECT_EQ(guest_state_from("deactivating", true), GuestState::kStopping);
  EXPECT_EQ(guest_state_from("failed", false), GuestState::kFailed);
  EXPECT_EQ(guest_state_from("", false), GuestState::kStopped);
}

TEST(GuestState, Names) {
  EXPECT_EQ(to_string(GuestState::kStopped), "stopped");
  EXPECT_EQ(to_string(GuestState::kPaused), "paused");
  EXPECT_EQ(to_string(GuestState::kStopping), "stopping");
}

TEST(Machine, StampsOnlyRealChangesAndForgetsPauseWhenTheGuestEnds) {
  Definition definition{"web-1", {}, false};
  Machine machine(definition, 100);
  EXPECT_EQ(machine.object_path(), "/org/vmmkit/vmm1/machine/web_2d1");
  EXPECT_EQ(machine.unit(), "vmm@web-1.service");
  EXPECT_FALSE(machine.update_unit({"inactive", 0}, 200));
  EXPECT_EQ(machine.state_changed_usec(), 100u);
  EXPECT_TRUE(machine.update_unit({"active", 42}, 300));
  EXPECT_EQ(machine.main_pid(), 42u);
  EXPECT_TRUE(machine.set_paused(true, 400));
  EXPECT_EQ(machine.state(), GuestState::kPaused);
  EXPECT_TRUE(machine.update_unit({"inactive", 0}, 500));
  EXPECT_EQ(machine.state_changed_usec(), 500u);
  EXPECT_TRUE(machine.update_unit({"active", 43}, 600));
  EXPECT_EQ(machine.state(), GuestState::kRunning);  // a new vmm is not paused
}

TEST(Machine, ObjectPathEscapesEveryNonAlphanumeric) {
  EXPECT_EQ(machine_object_path("a.b_c"), "/org/vmmkit/vmm1/machine/a_2eb_5fc");
  EXPECT_EQ(machine_object_path("9"), "/org/vmmkit/vmm1/machine/_39");
}

}  // namespace
}  // namespace vmmd
