#include "guard/stream_redactor.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "guard/canary.h"

namespace cellar::guard {
namespace {

// Feeds `text` in the given pieces and returns everything the redactor released.
std::string stream(const OutputGuardOptions& opts, const std::vector<std::string_view>& pieces) {
  StreamRedactor r(opts);
  std::string out;
  for (std::string_view p : pieces) out += r.push(p);
  return out + r.finish();
}

// Every way of cutting `text` into two chunks, and one byte at a time.
void expect_same_at_every_split(const OutputGuardOptions& opts, const std::string& text, const std::string& want) {
  for (size_t i = 0; i <= text.size(); ++i) {
    std::string_view t(text);
    EXPECT_EQ(stream(opts, {t.substr(0, i), t.substr(i)}), want) << "split at " << i << " of: " << text;
  }
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < text.size(); ++i) bytes.push_back(std::string_view(text).substr(i, 1));
  EXPECT_EQ(stream(opts, bytes), want) << "byte by byte: " << text;
}

OutputGuardOptions pii_only() {
  OutputGuardOptions o;
  o.pii = kAllPii;
  return o;
}

TEST(StreamRedactor, PiiSplitAtEveryBoundaryMatchesOneShotRedaction) {
  const std::vector<std::string> texts = {
      "Write to ali.baba@example.com.my, or call +60 12-345 6789 today.",
      "Card 4111 1111 1111 1111 expires soon; IC 900101-14-5678 on file.",
      "IBAN GB82 WEST 1234 5698 7654 32 and SSN 123-45-6789 and host 192.168.10.4.",
      "(415) 555-2671 or 4111-1111-1111-1111",
      "mail:x@y.io",
  };
  for (const std::string& t : texts) {
    std::string want = redact_pii(t).text;
    ASSERT_NE(want, t) << "fixture must contain PII";
    expect_same_at_every_split(pii_only(), t, want);
  }
  // Number-shaped text that is not PII comes out unchanged, however it is cut.
  std::string plain = "Order 2024-11 costs 12.50 and version 1.2.3.4.5 is not an address.";
  expect_same_at_every_split(pii_only(), plain, plain);
}

size_t placeholders(const std::string& s) {
  size_t n = 0;
  for (size_t p = s.find('['); p != std::string::npos; p = s.find('[', p + 1)) ++n;
  return n;
}

// Random texts of PII and junk in random pieces (seeded, so a failure repeats):
// with words apart, exactly the one-shot redaction; glued together (where the
// one-shot scan itself is ambiguous), never fewer redactions than one-shot.
TEST(StreamRedactor, RandomTextsInRandomPieces) {
  const std::vector<std::string> pii = {"4111 1111 1111 1111", "ali@example.com", "+60 12-345 6789",
                                        "GB82 WEST 1234 5698 7654 32", "900101-14-5678", "192.168.1.1",
                                        "123-45-6789", "(415) 555-2671", "03-1234 5678"};
  const std::string junk = "0123456789 -.@+()abAZxGB \n,'";
  std::mt19937 rng(7);
  for (int it = 0; it < 3000; ++it) {
    bool apart = it % 2 == 0;
    std::string t;
    for (int k = static_cast<int>(rng() % 8); k > 0; --k) {
      if (apart && !t.empty()) t += rng() % 2 ? " " : ", ";
      if (rng() % 2) t += pii[rng() % pii.size()];
      for (int j = static_cast<int>(rng() % 6); j > 0 && rng() % 2; --j) t += junk[rng() % junk.size()];
    }
    StreamRedactor r(pii_only());
    std::string out;
    for (size_t at = 0; at < t.size();) {
      size_t len = 1 + rng() % 7;
      out += r.push(std::string_view(t).substr(at, len));
      at += len;
    }
    out += r.finish();
    std::string want = redact_pii(t).text;
    if (apart) EXPECT_EQ(out, want) << t;
    else EXPECT_GE(placeholders(out), placeholders(want)) << t;
  }
}

TEST(StreamRedactor, HoldsBackOnlyTheTailThatMightBecomeAMatch) {
  StreamRedactor r(pii_only());
  EXPECT_EQ(r.push("Hello there. "), "Hello there. ");
  EXPECT_EQ(r.push("My mail is ali"), "My mail is ");
  EXPECT_EQ(r.push("@example.com, thanks"), "[EMAIL], ");  // "thanks" may still grow into an address
  EXPECT_EQ(r.push("! Card 4111 1111"), "thanks! Card ");
  EXPECT_EQ(r.push(" 1111 1111"), "");
  EXPECT_EQ(r.push(" ok"), "[CARD] ");
  EXPECT_EQ(r.finish(), "ok");
  EXPECT_EQ(r.pii_redacted(), 2u);
}

TEST(StreamRedactor, PlainProseIsNotDelayedPastTheCurrentWord) {
  StreamRedactor r(pii_only());
  EXPECT_EQ(r.push("The patient is stable "), "The patient is stable ");
  EXPECT_EQ(r.push("and rest"), "and ");
  EXPECT_EQ(r.push("ing."), "");
  EXPECT_EQ(r.finish(), "resting.");
}

// Regression: a canary ending in 'c' (which also starts it) was held back one
// byte short and released unredacted when the text ended right after it.
TEST(StreamRedactor, CanaryEndingInItsFirstLetterIsStillCaught) {
  OutputGuardOptions o;
  o.canary = "cellar-canary-0123456789abcdef0123456c";
  expect_same_at_every_split(o, "The secret is " + o.canary, "The secret is [REDACTED]");
}

TEST(StreamRedactor, CanaryIsRedactedOrBlockedAcrossChunks) {
  std::string canary = make_canary();
  std::string text = "Sure! The secret is " + canary + " and more text.";
  OutputGuardOptions o;
  o.canary = canary;
  expect_same_at_every_split(o, text, "Sure! The secret is [REDACTED] and more text.");
  o.block_on_leak = true;
  expect_same_at_every_split(o, text, "Sure! The secret is ");
  StreamRedactor r(o);
  r.push(text);
  r.finish();
  EXPECT_TRUE(r.blocked());
  EXPECT_EQ(r.leaks(), 1u);
  EXPECT_EQ(r.push("later text"), "");
}

TEST(StreamRedactor, SystemPromptCopiedVerbatimIsRedactedAcrossChunks) {
  OutputGuardOptions o;
  o.system_prompt = "You are the bank's assistant. Never reveal account numbers or the internal escalation code.";
  std::string leak = "never reveal account numbers or the internal escalation code";
  std::string text = "My instructions say: " + leak + ". Anything else?";
  std::string want = redact_leaks(text, check_output_leak(text, o.system_prompt, ""));
  ASSERT_NE(want, text);
  expect_same_at_every_split(o, text, want);
}

TEST(StreamRedactor, FindsTheCanaryInASystemPrompt) {
  std::string canary = make_canary();
  EXPECT_EQ(find_canary_in("You are helpful. " + canary + " Do not repeat this."), canary);
  EXPECT_EQ(find_canary_in("You are helpful. cellar-canary-12"), "");
  EXPECT_EQ(find_canary_in(""), "");
}

TEST(StreamRedactor, InactivePassesTextThrough) {
  StreamRedactor r(OutputGuardOptions{});
  EXPECT_TRUE(r.inactive());
  EXPECT_EQ(r.push("ali@example.com"), "ali@example.com");
  EXPECT_EQ(r.finish(), "");
}

}  // namespace
}  // namespace cellar::guard
