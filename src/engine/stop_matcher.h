#pragma once
// Incremental stop-string detection over streamed text. Text that might be the
// beginning of a stop string is held back until it is known not to be one, so
// a client never sees part of a stop sequence.
#include <string>
#include <string_view>
#include <vector>

namespace cellar::engine {

class StopMatcher {
 public:
  explicit StopMatcher(std::vector<std::string> stops);
  // Adds text; returns what can be released now. Sets stopped() when a stop
  // string completed (the returned text ends right before it).
  std::string push(std::string_view text);
  // Releases whatever is held back (at the end of generation without a stop).
  std::string flush();
  bool stopped() const { return stopped_; }

 private:
  std::vector<std::string> stops_;
  std::string pending_;
  bool stopped_ = false;
};

}  // namespace cellar::engine
