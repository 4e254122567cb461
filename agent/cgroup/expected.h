#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace numalign::agent {

// A value or an error, the C++23 std::expected shape on a C++20 toolchain (GCC 12 ships
// <expected> only under -std=c++23). Errors are values so that no agent I/O path can throw
// through a public API. Generic on purpose: agent/state uses it too.
template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(E error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(storage_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(storage_);
  }
  // By value, not T&&: `for (auto& x : F().value())` must not dangle once F()'s result dies.
  T value() && {
    assert(ok());
    return std::get<0>(std::move(storage_));
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(storage_);
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> storage_;
};

// The no-value form: success, or an error.
template <typename E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  Expected(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace numalign::agent
