// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include "table.hpp"

namespace vmmctl {
namespace {

Table two_machines() {
  Table table({{"NAME"}, {"STATE"}, {"VCPUS", Align::kRight}});
  table.add_row({"web", "running", "2"});
  table.add_row({"database-1", "stopped", "16"});
  return table;
}

TEST(Table, LegendHasHeaderRowsBlankLineAndFooter) {
  EXPECT_EQ(two_machines().render(true, "2 machines listed."),
            "NAME       STATE   VCPUS\n"
            "web        running     2\n"
            "database-1 stopped    16\n"
            "\n"
            "2 machines listed.\n");
}

TEST(Table, NoLegendPrintsOnlyRowsSizedToThem) {
  EXPECT_EQ(two_machines().render(false, "ignored"),
            "web        running  2\n"
            "database-1 stopped 16\n");
}

TEST(Table, EmptyTableWithLegendIsOnlyTheFooter) {
  Table table({{"NAME"}});
  EXPECT_EQ(table.render(true, count_footer(0, "machine", "machines")), "No machines.\n");
  EXPECT_EQ(table.render(false, "x"), "");
}

TEST(Table, ShortRowsArePaddedLongRowsCut) {
  Table table({{"A"}, {"B"}});
  table.add_row({"1"});
  table.add_row({"2", "3", "4"});
  EXPECT_EQ(table.render(false, ""), "1\n2 3\n");
}

TEST(Table, ControlCharactersCannotReachTheTerminal) {
  Table table({{"NAME"}});
  table.add_row({"evil\x1b[2J\nname"});
  EXPECT_EQ(table.render(false, ""), "evil?[2J?name\n");
}

TEST(Table, CountFooterSingularAndPlural) {
  EXPECT_EQ(count_footer(1, "machine", "machines"), "1 machine listed.");
  EXPECT_EQ(count_footer(3, "machine", "machines"), "3 machines listed.");
}

}  // namespace
}  // namespace vmmctl
