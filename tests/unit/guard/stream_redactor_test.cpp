#include "guard/stream_redactor.h"

#include <gtest/gtest.h>

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
