// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <system_error>

#include <vmm/base/result.hpp>

namespace vmm::testing {

// Expects `result` to be an error with `code` whose message contains `text`.
template <typename T>
void expect_error(const Result<T>& result, std::error_code code, std::string_view text) {
  ASSERT_FALSE(result.ok()) << "expected an error containing: " << text;
  EXPECT_EQ(result.error().code(), code) << result.error().message();
  EXPECT_NE(result.error().message().find(text), std::string::npos)
      << "message: " << result.error().message() << "\nexpected to contain: " << text;
}

}  // namespace vmm::testing
