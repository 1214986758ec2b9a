#pragma once
#include <stdexcept>

namespace cellar::guard {

// Bad outside input to the guard (policy JSON, evaluation files); the message
// says what to fix.
class GuardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cellar::guard
