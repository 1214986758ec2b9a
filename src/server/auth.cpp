#include "server/auth.h"

#include <fstream>
#include <stdexcept>

namespace cellar::server {

KeyFileAuthenticator::KeyFileAuthenticator(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read API key file '" + path + "'");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    auto colon = line.find(':');
    Key k;
    if (colon == std::string::npos) {
      k = {"key" + std::to_string(n), line};
    } else {
      k = {line.substr(0, colon), line.substr(colon + 1)};
    }
    if (k.secret.size() < 16) {
      throw std::invalid_argument("API key file '" + path + "' line " + std::to_string(n) +
                                  ": keys must be at least 16 characters");
    }
    keys_.push_back(std::move(k));
  }
  if (keys_.empty()) throw std::invalid_argument("API key file '" + path + "' holds no keys");
}

std::optional<Principal> KeyFileAuthenticator::authenticate(const std::string& token) const {
  if (token.empty()) return std::nullopt;
  std::optional<Principal> found;
  for (const auto& k : keys_) {  // check every key so timing does not reveal which matched
    if (constant_time_equal(k.secret, token) && !found) found = Principal{k.id, {}};
  }
  return found;
}

Role required_role(const std::string& route) {
  if (route.rfind("/admin/", 0) == 0) return Role::Admin;
  if (route == "/metrics" || route.rfind("/v1/probe", 0) == 0 || route.rfind("/v1/report", 0) == 0) {
    return Role::Operator;
  }
  return Role::User;
}

std::string bearer_token(const std::string& authorization) {
  const std::string kPrefix = "Bearer ";
  if (authorization.size() <= kPrefix.size()) return {};
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i]))) {
      return {};
    }
  }
  std::string t = authorization.substr(kPrefix.size());
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? a[i] : 0;
    unsigned char y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace cellar::server
