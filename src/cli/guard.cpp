// `cellar guard`: run the prompt-injection detector and PII redaction from the
// command line, score a labelled set, and time the detector.
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/guard_policy.h"
#include "guard/eval.h"
#include "guard/guard_error.h"
#include "guard/injection.h"
#include "guard/pii.h"

namespace cellar::cli {
namespace {

using guard::GuardError;

struct Options {
  std::string text;
  std::string file;
  std::string types = "all";
  bool json = false;
  double threshold = guard::kDefaultInjectionThreshold;
  int iterations = 2000;
};

// TEXT, or all of stdin for "-".
std::string input_text(const std::string& arg) {
  if (arg != "-") return arg;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

std::vector<guard::LabelledText> load_set(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw GuardError("cannot open evaluation file " + path);
  return guard::load_eval_set(in, path);
}

void check_threshold(double t) {
  if (!(t > 0.0 && t <= 1.0)) throw GuardError("--threshold must be in (0, 1]");
}

int run_check(const Options& o) {
  check_threshold(o.threshold);
  auto r = guard::detect_injection(input_text(o.text), o.threshold);
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"score", r.score}, {"flagged", r.flagged}, {"rules", r.rules}}.dump() << "\n";
    return 0;
  }
  std::cout << (r.flagged ? "flagged" : "ok") << " score=" << r.score;
  for (const auto& rule : r.rules) std::cout << " " << rule;
  std::cout << "\n";
  return 0;
}

int run_redact(const Options& o) {
  auto r = guard::redact_pii(input_text(o.text), guard::parse_pii_mask(o.types));
  if (!o.json) {
    std::cout << r.text << (r.text.empty() || r.text.back() != '\n' ? "\n" : "");
    return 0;
  }
  auto findings = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) {
    findings.push_back({{"type", std::string(guard::pii_name(f.type))}, {"begin", f.begin}, {"end", f.end}});
  }
  std::cout << nlohmann::ordered_json{{"text", r.text}, {"findings", findings}}.dump() << "\n";
  return 0;
}

int run_eval(const Options& o) {
  check_threshold(o.threshold);
  auto set = load_set(o.file);
  auto m = guard::evaluate(set, o.threshold);
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"n", m.n},
                                {"precision", m.precision},
                                {"recall", m.recall},
                                {"false_positive_rate", m.false_positive_rate}}
                     .dump()
              << "\n";
    return 0;
  }
  std::cout << "n=" << m.n << " (tp " << m.true_pos << ", fp " << m.false_pos << ", tn " << m.true_neg << ", fn "
            << m.false_neg << ")\n"
            << "precision=" << m.precision << " recall=" << m.recall
            << " false_positive_rate=" << m.false_positive_rate << "\n";
  return 0;
}

// ~1 KB messages cut from the set's texts, so timing sees realistic words.
std::vector<std::string> kilobyte_messages(const std::vector<guard::LabelledText>& set) {
  constexpr size_t kKb = 1024;
  std::vector<std::string> msgs;
  std::string cur;
  for (const auto& item : set) {
    cur += item.text;
    cur += "\n";
    if (cur.size() >= kKb) {
      size_t cut = kKb;
      while (cut > 0 && (static_cast<unsigned char>(cur[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      msgs.push_back(cur.substr(0, cut));
      cur.clear();
    }
  }
  if (msgs.empty()) throw GuardError("bench: the set holds less than 1 KB of text");
  return msgs;
}

double thread_cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Timing {
  double cpu_us = 0.0;   // per message, this thread's CPU time: robust on a shared machine
  double wall_us = 0.0;  // per message, elapsed
};

template <typename Fn>
Timing time_per_message(const std::vector<std::string>& msgs, int iterations, Fn fn) {
  auto t0 = std::chrono::steady_clock::now();
  double c0 = thread_cpu_micros();
  size_t sink = 0;
  for (int it = 0; it < iterations; ++it) {
    sink += fn(msgs[static_cast<size_t>(it) % msgs.size()]);
  }
  double cpu = thread_cpu_micros() - c0;
  auto wall = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  if (sink == static_cast<size_t>(-1)) std::cerr << "";  // keeps the calls from being optimised away
  return Timing{cpu / iterations, wall / iterations};
}

int run_bench(const Options& o) {
  if (o.iterations < 1) throw GuardError("--iterations must be at least 1");
  auto msgs = kilobyte_messages(load_set(o.file));
  auto detect = [](const std::string& m) { return guard::detect_injection(m).rules.size(); };
  auto redact = [](const std::string& m) { return guard::redact_pii(m).findings.size(); };
  time_per_message(msgs, std::min(o.iterations, 100), detect);  // warm caches and ICU data
  Timing d = time_per_message(msgs, o.iterations, detect);
  Timing r = time_per_message(msgs, o.iterations, redact);
  if (o.json) {
    std::cout << nlohmann::ordered_json{{"messages", msgs.size()},
                                        {"detect_us_per_kb", d.cpu_us},
                                        {"redact_us_per_kb", r.cpu_us},
                                        {"detect_wall_us_per_kb", d.wall_us},
                                        {"redact_wall_us_per_kb", r.wall_us}}
                     .dump()
              << "\n";
  } else {
    std::cout << "1 KB messages: " << msgs.size() << ", iterations: " << o.iterations << "\n"
              << "detect_injection: " << d.cpu_us << " us/KB CPU (" << d.wall_us << " wall)\n"
              << "redact_pii: " << r.cpu_us << " us/KB CPU (" << r.wall_us << " wall)\n";
  }
  return 0;
}

CommandRegistration reg_guard("guard", [](CLI::App& app) {
  auto* sub = app.add_subcommand("guard", "Prompt-injection detection and PII redaction");
  sub->require_subcommand(1);
  auto o = std::make_shared<Options>();
  auto which = std::make_shared<std::function<int()>>();

  auto* check = sub->add_subcommand("check", "Score TEXT (or stdin with -) for prompt injection; exit 0 either way");
  check->add_option("text", o->text, "message text, or - for stdin")->required();
  check->add_flag("--json", o->json, "print {\"score\",\"flagged\",\"rules\"}");
  check->add_option("--threshold", o->threshold, "flag at or above this score");
  check->callback([o, which] { *which = [o] { return run_check(*o); }; });

  auto* redact = sub->add_subcommand("redact", "Print TEXT (or stdin with -) with PII replaced by [EMAIL], [CARD]...");
  redact->add_option("text", o->text, "message text, or - for stdin")->required();
  redact->add_option("--types", o->types, "comma-separated: email,phone,card,nric,ssn,iban,ipv4 (default all)");
  redact->add_flag("--json", o->json, "print {\"text\",\"findings\":[{type,begin,end}]}");
  redact->callback([o, which] { *which = [o] { return run_redact(*o); }; });

  auto* eval = sub->add_subcommand("eval", "Precision, recall and false-positive rate on a labelled JSONL file");
  eval->add_option("file", o->file, "JSONL, one {\"text\":...,\"label\":\"injection\"|\"benign\"} per line")->required();
  eval->add_flag("--json", o->json, "print {\"n\",\"precision\",\"recall\",\"false_positive_rate\"}");
  eval->add_option("--threshold", o->threshold, "flag at or above this score");
  eval->callback([o, which] { *which = [o] { return run_eval(*o); }; });

  auto* bench = sub->add_subcommand("bench", "Time the detector and redaction on 1 KB messages cut from FILE");
  bench->add_option("file", o->file, "JSONL evaluation file supplying the text")->required();
  bench->add_option("--iterations", o->iterations, "messages to time (default 2000)");
  bench->add_flag("--json", o->json, "print {\"detect_us_per_kb\",\"redact_us_per_kb\"}");
  bench->callback([o, which] { *which = [o] { return run_bench(*o); }; });

  auto pol = std::make_shared<GuardPolicyArgs>();
  auto* policy = sub->add_subcommand("policy", "Show or set a deployment's guard policy (stored in the registry, audited)");
  policy->add_option("deployment", pol->deployment, "deployment name")->required();
  policy->add_option("--injection", pol->injection, "off | flag | block");
  policy->add_option("--threshold", pol->threshold, "injection score at or above which a message counts, in (0, 1]");
  policy->add_option("--pii", pol->pii, "where PII is redacted: comma list of logs,input,output, or none");
  policy->add_flag("--json", pol->json, "print {\"deployment\",\"stored\",\"policy\"}");
  add_registry_options(policy, pol->registry, true);
  policy->callback([pol, which] { *which = [pol] { return run_guard_policy(*pol); }; });

  return [which]() -> int { return *which ? (*which)() : 1; };
});

}  // namespace
}  // namespace cellar::cli
