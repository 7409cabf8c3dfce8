// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include <vmm/base/error.hpp>

namespace vmm {

// Result<T>: either a T or an Error. The one error-handling type of libvmm
// (C++20 has no std::expected). Check it before use; value() on an error is
// a programming bug and asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(storage_); }
  const T& value() const& { assert(ok()); return std::get<0>(storage_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(storage_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), has_error_(true) {}  // NOLINT

  [[nodiscard]] bool ok() const { return !has_error_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return error_; }
  Error&& error() && { assert(!ok()); return std::move(error_); }

 private:
  Error error_{std::error_code{}, {}};
  bool has_error_ = false;
};

// The success value of Result<void>.
inline Result<void> ok() { return {}; }

}  // namespace vmm

// Propagate an error from an expression yielding Result<T>:
//   VMM_TRY(vm.create_irqchip());
//   VMM_TRY_ASSIGN(auto vcpu, vm.create_vcpu(0));
#define VMM_CONCAT_INNER(a, b) a##b
#define VMM_CONCAT(a, b) VMM_CONCAT_INNER(a, b)
#define VMM_TRY(expr)                                            \
  do {                                                           \
    auto&& vmm_try_result_ = (expr);                             \
    if (!vmm_try_result_) return std::move(vmm_try_result_).error(); \
  } while (0)
#define VMM_TRY_ASSIGN_IMPL(tmp, decl, expr)  \
  auto tmp = (expr);                          \
  if (!tmp) return std::move(tmp).error();    \
  decl = std::move(tmp).value()
#define VMM_TRY_ASSIGN(decl, expr) VMM_TRY_ASSIGN_IMPL(VMM_CONCAT(vmm_try_tmp_, __LINE__), decl, expr)
