#pragma once
// cpp-httplib's client errors in words an operator can act on.
#include <httplib.h>

#include <string>

namespace cellar::ops {

std::string describe_http_error(httplib::Error error);

}  // namespace cellar::ops
