// The JSON schema promised in docs/planning.md, the text report, and the SVG
// chart as well-formed XML.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "plan/cost_chart.h"
#include "plan/data_dir.h"
#include "plan/plan_report.h"
#include "plan/planner.h"

namespace cellar::plan {
namespace {

PlanResult llama_plan(int64_t users = 20) {
  auto c = load_catalog(find_data_dir(), {});
  PlanOptions o;
  o.ctx = 8192;
  o.users = users;
  return make_plan(c, model_from_catalog(c, "llama-3-8b", "Q4_K_M"), o);
}

// A small XML well-formedness check: one root element, properly nested and
// closed tags, quoted attributes without duplicates, only the five
// predefined entities (and numeric references), no '<' in text.
class XmlChecker {
 public:
  explicit XmlChecker(std::string s) : s_(std::move(s)) {}

  std::string check() {
    try {
      skip_space();
      if (starts("<?xml")) skip_past("?>");
      int roots = 0;
      while (skip_space(), pos_ < s_.size()) {
        if (starts("<!--")) {
          skip_past("-->");
          continue;
        }
        if (s_[pos_] != '<') return "text outside the root element";
        ++roots;
        element();
      }
      return roots == 1 ? "" : "expected exactly one root element";
    } catch (const std::string& err) {
      return err + " at byte " + std::to_string(pos_);
    }
  }

 private:
  bool starts(const char* p) const { return s_.compare(pos_, std::strlen(p), p) == 0; }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void skip_past(const char* end) {
    auto at = s_.find(end, pos_);
    if (at == std::string::npos) throw std::string("unterminated ") + end;
    pos_ = at + std::strlen(end);
  }
  std::string name() {
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '-' || s_[pos_] == ':' || s_[pos_] == '_')) {
      ++pos_;
    }
    if (pos_ == start) throw std::string("expected a name");
    return s_.substr(start, pos_ - start);
  }
  void entity() {
    auto end = s_.find(';', pos_);
    if (end == std::string::npos) throw std::string("unterminated entity");
    std::string e = s_.substr(pos_ + 1, end - pos_ - 1);
    static const std::vector<std::string> ok = {"amp", "lt", "gt", "quot", "apos"};
    if (std::find(ok.begin(), ok.end(), e) == ok.end() && (e.empty() || e[0] != '#')) {
      throw "unknown entity &" + e + ";";
    }
    pos_ = end + 1;
  }
  void attributes() {
    std::vector<std::string> seen;
    while (skip_space(), pos_ < s_.size() && s_[pos_] != '>' && s_[pos_] != '/') {
      std::string n = name();
      if (std::find(seen.begin(), seen.end(), n) != seen.end()) throw "duplicate attribute " + n;
      seen.push_back(n);
      skip_space();
      if (s_[pos_++] != '=') throw std::string("expected =");
      skip_space();
      const char q = s_[pos_++];
      if (q != '"' && q != '\'') throw std::string("unquoted attribute");
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '<') throw std::string("'<' in attribute");
        if (s_[pos_] == '&') {
          entity();
        } else {
          ++pos_;
        }
      }
      ++pos_;
    }
  }
  void element() {
    ++pos_;  // '<'
    std::string tag = name();
    attributes();
    if (starts("/>")) {
      pos_ += 2;
      return;
    }
    if (s_[pos_++] != '>') throw "bad start tag " + tag;
    while (pos_ < s_.size()) {
      if (starts("</")) {
        pos_ += 2;
        std::string closing = name();
        if (closing != tag) throw "</" + closing + "> closes <" + tag + ">";
        skip_space();
        if (s_[pos_++] != '>') throw std::string("bad end tag");
        return;
      }
      if (starts("<!--")) {
        skip_past("-->");
      } else if (s_[pos_] == '<') {
        element();
      } else if (s_[pos_] == '&') {
        entity();
      } else {
        ++pos_;
      }
    }
    throw "unclosed <" + tag + ">";
  }

  std::string s_;
  size_t pos_ = 0;
};

TEST(XmlChecker, CatchesBrokenDocuments) {
  EXPECT_EQ(XmlChecker("<a><b x=\"1\"/>t &amp; u</a>").check(), "");
  EXPECT_NE(XmlChecker("<a><b></a></b>").check(), "");
  EXPECT_NE(XmlChecker("<a x=1></a>").check(), "");
  EXPECT_NE(XmlChecker("<a>&nbsp;</a>").check(), "");
  EXPECT_NE(XmlChecker("<a></a><b></b>").check(), "");
  EXPECT_NE(XmlChecker("<a>").check(), "");
}

TEST(Chart, IsWellFormedSvgWithAxesAndLegend) {
  auto p = llama_plan();
  p.model.shape.name = "model <with> \"odd\" & 'chars'";
  const std::string svg = cost_chart_svg(p);
  EXPECT_EQ(XmlChecker(svg).check(), "");
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(svg.find("Tokens per month"), std::string::npos);
  EXPECT_NE(svg.find("Monthly cost (USD)"), std::string::npos);
  EXPECT_NE(svg.find("Cloud: "), std::string::npos);
  EXPECT_NE(svg.find("your volume"), std::string::npos);
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '\n') > 20, true);
  EXPECT_NE(svg.find("&lt;with&gt; &quot;odd&quot; &amp; &apos;chars&apos;"), std::string::npos);
}

TEST(Chart, NiceTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(nice_ticks(1000), (std::vector<double>{0, 200, 400, 600, 800, 1000}));
  EXPECT_EQ(nice_ticks(2.3e9), (std::vector<double>{0, 5e8, 1e9, 1.5e9, 2e9}));
  EXPECT_EQ(nice_ticks(0), (std::vector<double>{0}));
}

TEST(Json, HasTheDocumentedSchema) {
  auto p = llama_plan();
  auto j = plan_to_json(p);
  ASSERT_TRUE(j["memory"].is_object());
  EXPECT_EQ(j["memory"]["kv_cache_bytes"].get<uint64_t>(), uint64_t{20} << 30);
  EXPECT_EQ(j["memory"]["weights_bytes"].get<uint64_t>(), 4'912'898'048u);
  EXPECT_EQ(j["memory"]["total_bytes"].get<uint64_t>(), p.memory.total_bytes);
  ASSERT_TRUE(j["hardware"].is_array());
  ASSERT_EQ(j["hardware"].size(), p.hardware.size());
  for (const auto& h : j["hardware"]) {
    EXPECT_TRUE(h["name"].is_string());
    EXPECT_TRUE(h["fits"].is_boolean());
    EXPECT_TRUE(h["units_needed"].is_number_integer());
    EXPECT_GT(h["decode_tokens_per_s_per_user"].get<double>(), 0);
    EXPECT_TRUE(h["cost"]["own_monthly"].is_number());
  }
  EXPECT_TRUE(j["cost"]["own_monthly"].is_number());
  EXPECT_TRUE(j["cost"]["cloud_monthly"].is_number());
  EXPECT_TRUE(j["cost"]["break_even_tokens_per_month"].is_number() ||
              j["cost"]["break_even_tokens_per_month"].is_null());
  EXPECT_EQ(j["model"]["parameters"].get<int64_t>(), 8'030'261'248);
  EXPECT_EQ(j["inputs"]["efficiency_source"], "default");
  EXPECT_TRUE(j["recommendation"].is_string());
  // The cloud cost is the volume times the blended price.
  const double blended = (512.0 * 0.18 + 256.0 * 0.18) / 768 / 1e6;
  EXPECT_NEAR(j["cost"]["cloud_monthly"].get<double>(), 20 * 40 * 768 * kDaysPerMonth * blended, 1e-9);
}

TEST(Planner, ContextBeyondTrainingWarnsAndStillSizes) {
  auto c = load_catalog(find_data_dir(), {});
  PlanOptions o;
  o.ctx = 16384;
  auto p = make_plan(c, model_from_catalog(c, "llama-3-8b", "Q4_K_M"), o);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("8192"), std::string::npos);
  EXPECT_EQ(p.memory.kv_cache_bytes, uint64_t{2} << 30);
}

TEST(Planner, SelectsTheCheapestUsableOptionAndExplainsIt) {
  auto p = llama_plan();
  ASSERT_GE(p.selected, 0);
  const auto& sel = p.hardware[p.selected];
  EXPECT_TRUE(sel.usable);
  for (const auto& r : p.hardware) {
    if (r.usable) {
      EXPECT_LE(sel.cost.own_monthly, r.cost.own_monthly) << r.hw.name;
    }
  }
  EXPECT_NE(p.recommendation.find(sel.hw.title), std::string::npos) << p.recommendation;
  auto text = plan_to_text(p);
  EXPECT_NE(text.find("Licence: Meta Llama 3"), std::string::npos);
}

TEST(Planner, SeventyBillionOnALaptopDoesNotFit) {
  auto c = load_catalog(find_data_dir(), {});
  PlanOptions o;
  o.hardware = {"laptop-ddr5-32gb"};
  auto p = make_plan(c, model_from_catalog(c, "llama-3-70b", "Q4_K_M"), o);
  ASSERT_EQ(p.hardware.size(), 1u);
  EXPECT_FALSE(p.hardware[0].fits);
  EXPECT_FALSE(p.hardware[0].within_max_units);
  EXPECT_EQ(p.selected, -1);
  EXPECT_NE(p.recommendation.find("No hardware"), std::string::npos);
}

TEST(Planner, UnknownHardwareSuggestsNearest) {
  auto c = load_catalog(find_data_dir(), {});
  PlanOptions o;
  o.hardware = {"rtx4090"};
  try {
    make_plan(c, model_from_catalog(c, "llama-3-8b", "Q4_K_M"), o);
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("rtx-4090"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cellar::plan
