#pragma once
// Word classes the injection rules reason about (an override verb, an
// instruction noun, second-person role assignment...). Each class lists
// English, German, Malay and Chinese phrases; rules in injection.cpp combine
// classes by proximity, so new phrasings of the same intent still match.
#include <cstdint>
#include <vector>

#include "guard/tokenize.h"

namespace cellar::guard {

enum class Cat : uint8_t {
  kOverride,      // ignore, disregard, forget, override, bypass...
  kOverrideWeak,  // drop, remove, skip, cancel: override only with "all/previous/your"
  kFollow,        // follow, obey, comply, adhere...
  kNegation,      // do not, stop, never, no longer...
  kPrior,         // previous, above, earlier, before...
  kAll,           // all, everything, any...
  kInstr,         // instructions, rules, guidelines, restrictions, programming...
  kMeta,          // system prompt, initial prompt, the text above (strong meta nouns)
  kYour,          // your, yours, deine, anda, 你的
  kRole,          // act as, pretend, you are now, roleplay...
  kUnrestricted,  // no restrictions, unfiltered, uncensored, anything now...
  kDark,          // evil, malicious, unethical, illegal...
  kPersona,       // DAN-style named jailbreaks, developer mode
  kExtract,       // repeat, print, reveal, show, output...
  kQuestion,      // what, which, tell me
  kNewTask,       // new instructions, new task, from now on
  kSecrecy,       // do not tell the user, secretly
  kDefense,       // protect, prevent, detect, mitigate (security discussion)
  kAttackTopic,   // injection, jailbreak, attack
  kVerbatim,      // verbatim, word for word, in full
  kCharacter,     // stay in character, two responses
  kDecode,        // decode, base64, rot13, hex
  kRot13,         // rot13 spelling of a key word (payload marker)
  kLack,          // without, no, free of, ohne, tanpa, 没有
  kLimitNoun,     // restrictions, limits, censorship, filters, ethics...
  kRefuse,        // refuse, decline, ablehnen, menolak, 拒绝
  kRevoked,       // cancelled, void, lifted, no longer apply (passive override)
  kActivate,      // enabled, activated, unlocked
  kJoin,          // and, then, now: the clause goes on
  kFunction,      // the, what, that: words an override may skip over
  kDiscuss,       // mean, example, explain, research: talking about a phrase
  kStop,          // stop, cease, no longer (negates "follow", not "ignore")
  kClosure,       // "well done", "that is done": closing one task before switching
  kNew,           // new, updated, real: "new (important) instructions"
  kInstrCore,     // instructions, prompt, rules, task: what "new ..." must name
  kOverrideFinal, // verb-final override forms ("alle Regeln ignorierst", "把指令忽略")
  kPrep,          // of, for, on, about: "the rules of grammar" names a specific set
  kSaid,          // said, told, learned: "everything (that) I told you"
  kAddressAi,     // "if you are an AI reading this", "note to the assistant" (indirect injection)
  kStay,          // stay, remain, never break (out of): "stay fully in their roles"
  kRoleNoun,      // role, character, persona
  kAiNoun,        // an AI, language model, chatbot, KI: the thing a jailbreak re-describes
  kFiction,       // hypothetically, fictional story, screenplay: framing that excuses the request
  kHarm,          // bomb, meth, poison, malware: goals jailbreaks smuggle through role-play
  kDetail,        // step by step, in detail, exact amounts: asking for operational detail
  kTokenGame,     // "you have 10 tokens": the token-threat game of DAN prompts
  kLose,          // lose, deducted, verlierst
  kAuthority,     // "I am your developer", "message from your creators": claimed authority
  kDisable,       // turn off, disable, deaktiviere: switching a safety feature off
  kSafetyNoun,    // safety features, content filter, guardrails, Sicherheitsfilter
  kCreator,       // developer, operator, Entwickler: who wrote the hidden instructions
  kInstead,       // "instead say", "schreibe stattdessen": replacing the task's output
  kPwned,         // "I have been PWNED", "gehackt": the marker prompt hackers ask for
  kPwnedStrong,   // "I have been PWNED" as a whole sentence: never benign output
  kSecret,        // password, secret word, Kennwort: what a guarded model keeps back
  kTransform,     // spell, backwards, rhyme, letters: leaking a secret piece by piece
  kAccount,       // reset, change, forgot: ordinary account help about a password
  kAppend,        // add, append, include: smuggling the prompt into an answer
  kForbid,        // forbid, prohibited, verboten: "what your rules forbid"
  kCount
};

struct Hit {
  Cat cat;
  uint32_t begin;  // first token index
  uint32_t end;    // one past the last token index
  uint32_t sentence;
  bool obfuscated;  // leet or spaced letters were involved
  bool quoted;      // every token sits inside quotation marks
};

// No lexicon phrase is longer than this (rules use it to bound look-behind).
constexpr uint32_t kMaxPhraseTokens = 8;

// All lexicon matches in `toks`, in token order.
std::vector<Hit> match_lexicon(const std::vector<Token>& toks);

}  // namespace cellar::guard
