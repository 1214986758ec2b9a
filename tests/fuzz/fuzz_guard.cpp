// Arbitrary bytes through every guard entry point: the detector, PII
// redaction and the output-leak check must never crash, read out of bounds or
// break their output invariants, whatever a client sends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guard/canary.h"
#include "guard/injection.h"
#include "guard/pii.h"
#include "guard/stream_redactor.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // libFuzzer reports the input
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto inj = cellar::guard::detect_injection(text);
  require(inj.score >= 0.0 && inj.score <= 1.0);
  require(inj.flagged == (inj.score >= cellar::guard::kDefaultInjectionThreshold));

  auto red = cellar::guard::redact_pii(text);
  size_t prev_end = 0;
  for (const auto& f : red.findings) {
    require(f.begin >= prev_end && f.begin < f.end && f.end <= size);
    prev_end = f.end;
  }

  // First half as the system prompt, second half as the model output.
  std::string_view prompt = text.substr(0, size / 2), output = text.substr(size / 2);
  auto leak = cellar::guard::check_output_leak(output, prompt, "cellar-canary-0123");
  for (const auto& s : leak.spans) require(s.begin < s.end && s.end <= output.size());
  cellar::guard::redact_leaks(output, leak);

  // The output streamed in three pieces through the output guard (PII, the
  // first half as system prompt, a canary): it must not crash, and nothing
  // stays held back after finish().
  cellar::guard::OutputGuardOptions opts;
  opts.pii = cellar::guard::kAllPii;
  opts.system_prompt = std::string(prompt);
  opts.canary = "cellar-canary-0123456789abcdef01234567";
  cellar::guard::StreamRedactor stream(opts);
  size_t a = output.size() / 3, b = 2 * output.size() / 3;
  std::string streamed = stream.push(output.substr(0, a));
  streamed += stream.push(output.substr(a, b - a));
  streamed += stream.push(output.substr(b));
  streamed += stream.finish();
  require(stream.finish().empty());
  return 0;
}
