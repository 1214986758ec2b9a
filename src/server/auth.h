#pragma once
// Who may call the API. The HTTP layer asks an Authenticator for every
// protected route (everything but the probes and /metrics); the registry's
// API keys plug in here later. With no authenticator configured the server
// is open, which is why it binds to 127.0.0.1 by default.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "registry/key_registry.h"

namespace cellar::server {

using registry::Role;

struct Principal {
  std::string id;                   // key id or name, for logs; never the secret
  std::vector<std::string> models;  // models this principal may use; empty = all
  Role role = Role::Admin;          // key files carry no roles: their keys may do everything
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The credential from "Authorization: Bearer <token>" (or Ollama/OpenAI
  // clients' equivalent); nullopt when it is not valid.
  virtual std::optional<Principal> authenticate(const std::string& token) const = 0;
  // False while no key exists yet: the registry's keys are required as soon as one is created.
  virtual bool required() const { return true; }
};

// The role a route needs: admin for /admin/ routes, operator for metrics and probe/report
// routes, user for the rest.
Role required_role(const std::string& route);

// Keys from a file: one per line, "key" or "id:key"; blank lines and # comments ignored.
class KeyFileAuthenticator : public Authenticator {
 public:
  explicit KeyFileAuthenticator(const std::string& path);
  std::optional<Principal> authenticate(const std::string& token) const override;
  size_t size() const { return keys_.size(); }

 private:
  struct Key {
    std::string id;
    std::string secret;
  };
  std::vector<Key> keys_;
};

// The bearer token of an Authorization header value; empty when absent or malformed.
std::string bearer_token(const std::string& authorization);

// Compares in time independent of where the strings differ.
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace cellar::server
