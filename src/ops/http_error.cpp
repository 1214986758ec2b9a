#include "ops/http_error.h"

namespace cellar::ops {

std::string describe_http_error(httplib::Error error) {
  using httplib::Error;
  switch (error) {
    case Error::Connection: return "connection failed (refused, or host unreachable)";
    case Error::ConnectionTimeout: return "connection timed out";
    case Error::Read: return "read failed or timed out (server closed the connection or was too slow)";
    case Error::Write: return "sending the request failed";
    case Error::SSLConnection: return "TLS handshake failed";
    case Error::SSLLoadingCerts: return "cannot load CA certificates";
    case Error::SSLServerVerification: return "server certificate not trusted";
    case Error::Canceled: return "request canceled";
    default: return httplib::to_string(error);
  }
}

}  // namespace cellar::ops
