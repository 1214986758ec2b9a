#pragma once
// Typed errors of the registry. Each carries a message a user can act on; the
// subtype tells a caller (CLI exit code, HTTP status) what kind of failure it is.
#include <stdexcept>
#include <string>

namespace cellar::registry {

class RegistryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from outside: a malformed name, reference, file or option (HTTP 400).
class InvalidInput : public RegistryError {
 public:
  using RegistryError::RegistryError;
};

// The named object does not exist (HTTP 404).
class NotFound : public RegistryError {
 public:
  using RegistryError::RegistryError;
};

// The change conflicts with the current state, e.g. deleting a deployed version (HTTP 409).
class Conflict : public RegistryError {
 public:
  using RegistryError::RegistryError;
};

// The catalogue or blob store failed (disk, SQLite); not the caller's fault (HTTP 500).
class StorageError : public RegistryError {
 public:
  using RegistryError::RegistryError;
};

}  // namespace cellar::registry
