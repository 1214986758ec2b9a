#pragma once
// An HTTP-facing error: thrown anywhere while handling a request, turned into
// OpenAI's error JSON ({"error":{"message","type","param","code"}}) or
// Ollama's ({"error": message}) with the right status by the HTTP layer.
#include <optional>
#include <stdexcept>
#include <string>

namespace cellar::server {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string type, const std::string& message, std::string param = {}, std::string code = {})
      : std::runtime_error(message), status_(status), type_(std::move(type)), param_(std::move(param)),
        code_(std::move(code)) {}

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& param() const { return param_; }  // empty -> JSON null
  const std::string& code() const { return code_; }    // empty -> JSON null
  std::optional<int> retry_after_seconds;               // sent as Retry-After (429, 503)

 private:
  int status_;
  std::string type_;
  std::string param_;
  std::string code_;
};

// 400 invalid_request_error naming the offending field.
inline ApiError invalid_request(const std::string& message, const std::string& param = {}) {
  return ApiError(400, "invalid_request_error", message, param);
}

inline ApiError model_not_found(const std::string& model) {
  return ApiError(404, "invalid_request_error", "The model '" + model + "' does not exist", "model",
                  "model_not_found");
}

}  // namespace cellar::server
