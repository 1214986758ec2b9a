#pragma once
// Incremental Server-Sent Events parser: bytes in, complete "data" payloads out.
// Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html
#include <functional>
#include <string>

namespace cellar::ops {

class SseParser {
 public:
  // Called once per event with its data lines joined by '\n'.
  explicit SseParser(std::function<void(const std::string& data)> on_event)
      : on_event_(std::move(on_event)) {}

  void feed(const char* data, size_t size);
  void finish();  // flushes a last event that lacked its blank line

 private:
  void line(const std::string& l);
  std::function<void(const std::string&)> on_event_;
  std::string pending_;  // bytes after the last complete line
  std::string data_;     // data of the event being built
  bool has_data_ = false;
};

}  // namespace cellar::ops
