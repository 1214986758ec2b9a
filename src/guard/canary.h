#pragma once
// Output-leak checks: a secret canary token placed in a deployment's system
// prompt, and long verbatim copies of the system prompt itself. Either in a
// model's output means the prompt is leaking.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::guard {

// "cellar-canary-" + 24 random hex digits from the OS CSPRNG (OpenSSL-free:
// std::random_device reads /dev/urandom on Linux).
std::string make_canary();

struct LeakSpan {
  size_t begin;  // byte offsets into the output, [begin, end)
  size_t end;
  bool canary;   // true: the canary; false: a verbatim span of the system prompt
};

struct LeakCheck {
  bool leaked = false;
  std::vector<LeakSpan> spans;  // non-overlapping, in output order: redact these
};

// Verbatim spans count when they reach kMinLeakChars bytes and
// kMinLeakWords words (compared after collapsing whitespace and case).
constexpr size_t kMinLeakChars = 40;
constexpr size_t kMinLeakWords = 6;

LeakCheck check_output_leak(std::string_view output, std::string_view system_prompt, std::string_view canary);

// `output` with each span replaced by "[REDACTED]".
std::string redact_leaks(std::string_view output, const LeakCheck& check);

}  // namespace cellar::guard
