#pragma once
// Output guard for text that arrives in pieces (SSE / NDJSON streaming): PII
// redaction (pii.h) and the canary / system-prompt leak check (canary.h) on
// generated text, without ever sending a match half-way. Each push() returns
// the text that is safe to send now and holds back only the shortest tail
// that could still become a match: a partial e-mail, card or phone number, a
// prefix of the canary, or words that so far repeat the system prompt.
// finish() releases the rest. The concatenated output equals the one-shot
// redaction of the whole text, wherever the chunk boundaries fall.
#include <cstddef>
#include <string>
#include <string_view>

#include "guard/pii.h"

namespace cellar::guard {

struct OutputGuardOptions {
  PiiMask pii = 0;             // types to replace by placeholders; 0: none
  std::string system_prompt;   // verbatim spans of it are leaks; empty: not checked
  std::string canary;          // empty: none
  bool block_on_leak = false;  // a leak ends the output (nothing after it is released)
};

// The canary embedded in a system prompt ("cellar-canary-" + 24 hex digits,
// see make_canary), or "" when it has none.
std::string find_canary_in(std::string_view system_prompt);

class StreamRedactor {
 public:
  explicit StreamRedactor(OutputGuardOptions opts);

  // Appends generated text; returns what may be sent now (possibly "").
  std::string push(std::string_view chunk);
  // End of the stream: the held-back tail, redacted.
  std::string finish();

  size_t pii_redacted() const { return pii_redacted_; }
  size_t leaks() const { return leaks_; }
  // A leak was found and block_on_leak is set: everything after it is dropped.
  bool blocked() const { return blocked_; }
  // Nothing to check: push() passes text straight through.
  bool inactive() const { return opts_.pii == 0 && opts_.system_prompt.empty() && opts_.canary.empty(); }

 private:
  size_t hold_from() const;          // where the held-back tail of pending_ starts
  size_t pii_hold() const;
  size_t canary_hold() const;
  size_t verbatim_hold() const;
  std::string release(size_t cut);   // redacts and removes pending_[0, cut)

  OutputGuardOptions opts_;
  std::string prompt_words_;  // " word word ...": the system prompt, lower-cased, for verbatim holds
  std::string pending_;       // received, not yet released
  size_t pii_redacted_ = 0;
  size_t leaks_ = 0;
  bool blocked_ = false;
};

}  // namespace cellar::guard
