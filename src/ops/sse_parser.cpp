#include "ops/sse_parser.h"

namespace cellar::ops {

void SseParser::feed(const char* data, size_t size) {
  pending_.append(data, size);
  size_t start = 0;
  for (;;) {
    size_t nl = pending_.find('\n', start);
    if (nl == std::string::npos) break;
    size_t end = nl;
    if (end > start && pending_[end - 1] == '\r') --end;
    line(pending_.substr(start, end - start));
    start = nl + 1;
  }
  pending_.erase(0, start);
}

void SseParser::finish() {
  if (!pending_.empty()) {
    line(pending_);
    pending_.clear();
  }
  line("");
}

void SseParser::line(const std::string& l) {
  if (l.empty()) {
    if (has_data_) on_event_(data_);
    data_.clear();
    has_data_ = false;
    return;
  }
  if (l.rfind("data:", 0) != 0) return;  // comments, event:, id:, retry: carry nothing we use
  std::string value = l.substr(5);
  if (!value.empty() && value[0] == ' ') value.erase(0, 1);
  if (has_data_) data_ += '\n';
  data_ += value;
  has_data_ = true;
}

}  // namespace cellar::ops
