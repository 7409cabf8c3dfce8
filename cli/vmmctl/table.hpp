// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vmmctl {

enum class Align { kLeft, kRight };

struct Column {
  std::string header;  // printed upper case as given
  Align align = Align::kLeft;
};

// A plain-text table as machinectl prints it: a header line, one line per
// row with columns padded to their widest cell and separated by one space,
// then (with the legend) an empty line and a footer such as
// "2 machines listed.". Without the legend only the rows are printed, for scripts.
class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // A row with fewer cells than columns is padded with empty cells; extra cells are dropped.
  void add_row(std::vector<std::string> cells);
  [[nodiscard]] size_t rows() const { return rows_.size(); }

  [[nodiscard]] std::string render(bool legend, const std::string& footer) const;

 private:
  [[nodiscard]] std::string render_line(const std::vector<std::string>& cells,
                                        const std::vector<size_t>& widths) const;
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// "1 machine listed." / "3 machines listed." / "No machines." — the footer line.
std::string count_footer(size_t count, const std::string& singular, const std::string& plural);

// Replaces control characters (bytes < 0x20 and 0x7f) by '?', so names and
// states from a daemon cannot move the cursor or break the columns.
std::string printable(const std::string& text);

}  // namespace vmmctl
