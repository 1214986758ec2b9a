#pragma once
// An http(s) URL split the way cpp-httplib wants it: "scheme://host:port" for
// the client and the path for each request.
#include <stdexcept>
#include <string>

namespace cellar::ops {

class UrlError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct HttpTarget {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;
  std::string path;  // without trailing '/', may be empty

  std::string origin() const;  // scheme://host:port
};

// Throws UrlError for anything but http:// or https:// URLs with a host.
HttpTarget parse_http_url(const std::string& url);

// The chat completions path under a server base URL; accepts a base with or
// without "/v1" and a full ".../chat/completions" URL.
std::string chat_completions_path(const HttpTarget& base);

}  // namespace cellar::ops
