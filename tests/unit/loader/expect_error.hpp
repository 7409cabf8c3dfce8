// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include <vmm/base/result.hpp>
#include <vmm/loader/error.hpp>

namespace vmm::test {

// Checks that `result` failed with `code` and that its message contains
// every one of `fragments`.
template <typename T>
void expect_error(const Result<T>& result, LoaderErrc code,
                  std::initializer_list<std::string_view> fragments = {}) {
  ASSERT_FALSE(result.ok()) << "expected " << make_error_code(code).message();
  EXPECT_EQ(result.error().code(), make_error_code(code)) << result.error().message();
  for (std::string_view fragment : fragments) {
    EXPECT_NE(result.error().message().find(fragment), std::string::npos)
        << "\"" << result.error().message() << "\" lacks \"" << fragment << "\"";
  }
}

}  // namespace vmm::test
