// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "table.hpp"

#include <algorithm>

namespace vmmctl {

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (auto& cell : cells) cell = printable(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::render_line(const std::vector<std::string>& cells,
                               const std::vector<size_t>& widths) const {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool last = i + 1 == cells.size();
    std::string padding(widths[i] - cells[i].size(), ' ');
    if (columns_[i].align == Align::kRight) {
      line += padding + cells[i];
    } else {
      line += cells[i];
      if (!last) line += padding;  // no trailing blanks
    }
    if (!last) line += ' ';
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();  // empty last cells
  line += '\n';
  return line;
}

std::string Table::render(bool legend, const std::string& footer) const {
  std::vector<size_t> widths(columns_.size(), 0);
  std::vector<std::string> headers;
  for (size_t i = 0; i < columns_.size(); ++i) {
    headers.push_back(columns_[i].header);
    if (legend) widths[i] = columns_[i].header.size();
  }
  for (const auto& row : rows_)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());

  std::string out;
  if (legend && !rows_.empty()) out += render_line(headers, widths);
  for (const auto& row : rows_) out += render_line(row, widths);
  if (legend) out += (rows_.empty() ? "" : "\n") + footer + "\n";
  return out;
}

std::string count_footer(size_t count, const std::string& singular, const std::string& plural) {
  if (count == 0) return "No " + plural + ".";
  return std::to_string(count) + " " + (count == 1 ? singular : plural) + " listed.";
}

std::string printable(const std::string& text) {
  std::string out = text;
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace vmmctl
