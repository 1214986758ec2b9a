#include "ops/http_target.h"

#include <charconv>

namespace cellar::ops {

std::string HttpTarget::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

HttpTarget parse_http_url(const std::string& url) {
  HttpTarget t;
  auto sep = url.find("://");
  if (sep == std::string::npos) throw UrlError("URL '" + url + "' needs http:// or https://");
  t.scheme = url.substr(0, sep);
  if (t.scheme != "http" && t.scheme != "https")
    throw UrlError("URL '" + url + "': only http and https are supported");
  std::string rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!t.path.empty() && t.path.back() == '/') t.path.pop_back();
  if (authority.find('@') != std::string::npos)
    throw UrlError("URL '" + url + "': credentials in the URL are not supported, use --key");
  t.port = t.scheme == "https" ? 443 : 80;
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    std::string port = authority.substr(colon + 1);
    int p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || ptr != port.data() + port.size() || p <= 0 || p > 65535)
      throw UrlError("URL '" + url + "': bad port '" + port + "'");
    t.port = p;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) throw UrlError("URL '" + url + "' has no host");
  t.host = authority;
  return t;
}

std::string chat_completions_path(const HttpTarget& base) {
  const std::string& p = base.path;
  auto ends_with = [&](const std::string& s) {
    return p.size() >= s.size() && p.compare(p.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("/chat/completions")) return p;
  if (ends_with("/v1")) return p + "/chat/completions";
  return p + "/v1/chat/completions";
}

}  // namespace cellar::ops
