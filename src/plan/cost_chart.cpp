#include "plan/cost_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "plan/estimates.h"

namespace cellar::plan {
namespace {

constexpr double kWidth = 860, kHeight = 540;
constexpr double kLeft = 100, kRight = 30, kTop = 70, kBottom = 110;
constexpr const char* kOwnColour = "#1f6fb2";
constexpr const char* kCloudColour = "#d9541e";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Rounds `v` up to a whole number of its tick steps so the last tick ends the axis.
double round_up_to_tick(double v) {
  auto ticks = nice_ticks(v);
  if (ticks.size() < 2) return v;
  const double step = ticks[1];
  return std::ceil(v / step - 1e-9) * step;
}

std::string token_label(double v) {
  char buf[32];
  if (v == 0) return "0";
  if (v >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.3g B", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3g M", v / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g k", v / 1e3);
  }
  return buf;
}

std::string money_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 || v == std::floor(v) ? "$%.0f" : "$%.2f", v);
  return buf;
}

struct Frame {
  double x_max, y_max;
  double px(double x) const { return kLeft + x / x_max * (kWidth - kLeft - kRight); }
  double py(double y) const { return kHeight - kBottom - y / y_max * (kHeight - kTop - kBottom); }
};

void text(std::ostringstream& o, double x, double y, const std::string& s, const char* anchor,
          int size = 12, const char* extra = "") {
  o << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" font-size=\"" << size
    << "\" text-anchor=\"" << anchor << "\"" << extra << ">" << xml_escape(s) << "</text>\n";
}

void axes(std::ostringstream& o, const Frame& f) {
  const double x0 = kLeft, y0 = kHeight - kBottom, x1 = kWidth - kRight;
  for (double t : nice_ticks(f.y_max)) {
    const double y = f.py(t);
    o << "<line x1=\"" << num(x0) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x1) << "\" y2=\""
      << num(y) << "\" stroke=\"#e3e3e3\"/>\n";
    text(o, x0 - 8, y + 4, money_label(t), "end");
  }
  for (double t : nice_ticks(f.x_max)) {
    const double x = f.px(t);
    o << "<line x1=\"" << num(x) << "\" y1=\"" << num(y0) << "\" x2=\"" << num(x) << "\" y2=\""
      << num(y0 + 5) << "\" stroke=\"#333\"/>\n";
    text(o, x, y0 + 20, token_label(t), "middle");
  }
  o << "<line x1=\"" << num(x0) << "\" y1=\"" << num(y0) << "\" x2=\"" << num(x1) << "\" y2=\""
    << num(y0) << "\" stroke=\"#333\"/>\n";
  o << "<line x1=\"" << num(x0) << "\" y1=\"" << num(kTop) << "\" x2=\"" << num(x0) << "\" y2=\""
    << num(y0) << "\" stroke=\"#333\"/>\n";
  text(o, (x0 + x1) / 2, y0 + 42, "Tokens per month (prompt + output)", "middle", 13);
  o << "<text x=\"24\" y=\"" << num((kTop + y0) / 2) << "\" font-size=\"13\" text-anchor=\"middle\" "
    << "transform=\"rotate(-90 24 " << num((kTop + y0) / 2) << ")\">Monthly cost (USD)</text>\n";
}

void legend(std::ostringstream& o, const std::string& own, const std::string& cloud) {
  const double x = kLeft + 14, y = kTop + 10;
  const double w = std::max(own.size(), cloud.size()) * 6.6 + 50;
  o << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(w)
    << "\" height=\"46\" fill=\"white\" stroke=\"#999\"/>\n";
  o << "<line x1=\"" << num(x + 8) << "\" y1=\"" << num(y + 15) << "\" x2=\"" << num(x + 34)
    << "\" y2=\"" << num(y + 15) << "\" stroke=\"" << kOwnColour << "\" stroke-width=\"3\"/>\n";
  text(o, x + 40, y + 19, own, "start");
  o << "<line x1=\"" << num(x + 8) << "\" y1=\"" << num(y + 34) << "\" x2=\"" << num(x + 34)
    << "\" y2=\"" << num(y + 34) << "\" stroke=\"" << kCloudColour << "\" stroke-width=\"3\"/>\n";
  text(o, x + 40, y + 38, cloud, "start");
}

// A dashed vertical line at `x`; its label sits left of the line when asked
// (to keep two close markers apart) and there is room before the y axis.
void marker(std::ostringstream& o, const Frame& f, double x, const std::string& label, double label_y,
            bool label_left) {
  const double px = f.px(x);
  o << "<line x1=\"" << num(px) << "\" y1=\"" << num(kTop) << "\" x2=\"" << num(px) << "\" y2=\""
    << num(kHeight - kBottom) << "\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>\n";
  const double width = label.size() * 6.8;
  if (label_left && px - 5 - width > kLeft) {
    text(o, px - 5, label_y, label, "end", 12, " fill=\"#333\"");
  } else {
    text(o, px + 5, label_y, label, "start", 12, " fill=\"#333\"");
  }
}

std::string polyline(const Frame& f, const std::vector<std::pair<double, double>>& pts,
                     const char* colour) {
  std::ostringstream o;
  o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2.5\" points=\"";
  for (const auto& [x, y] : pts) o << num(f.px(x)) << "," << num(f.py(y)) << " ";
  o << "\"/>\n";
  return o.str();
}

}  // namespace

std::vector<double> nice_ticks(double max, int count) {
  std::vector<double> out;
  if (!(max > 0) || !std::isfinite(max)) return {0.0};
  const double raw = max / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  for (int i = 0; i * step <= max * (1 + 1e-9); ++i) out.push_back(i * step);
  return out;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string cost_chart_svg(const PlanResult& p) {
  const HardwareResult* sel = p.selected >= 0 ? &p.hardware[p.selected] : nullptr;
  double x_max = std::max(p.tokens_per_month, 1e6) * 2;
  if (sel && sel->cost.break_even_tokens_per_month) {
    x_max = std::max(x_max, *sel->cost.break_even_tokens_per_month * 2);
  }
  x_max = round_up_to_tick(x_max);
  std::vector<std::pair<double, double>> own, cloud;
  double y_max = p.cloud_price_per_token * x_max;
  constexpr int kSamples = 400;
  for (int i = 0; i <= kSamples; ++i) {
    const double x = x_max * i / kSamples;
    cloud.emplace_back(x, p.cloud_price_per_token * x);
    if (sel) {
      own.emplace_back(x, own_monthly_at(sel->cost, x));
      y_max = std::max(y_max, own.back().second);
    }
  }
  Frame f{x_max, round_up_to_tick(std::max(y_max * 1.05, 1.0))};

  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
    << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" font-family=\"sans-serif\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  text(o, kWidth / 2, 28, "Monthly cost versus token volume: " + p.model.shape.name + " " + p.model.quant,
       "middle", 16, " font-weight=\"bold\"");
  std::string own_label = "no catalogue hardware holds the model";
  if (sel) {
    own_label = "Own: " + std::to_string(sel->units_needed) + " x " + sel->hw.title + " per replica";
  }
  text(o, kWidth / 2, 48, own_label + " vs cloud API " + p.cloud.name, "middle", 12);
  axes(o, f);
  o << polyline(f, cloud, kCloudColour);
  if (sel) o << polyline(f, own, kOwnColour);
  const bool has_be = sel && sel->cost.break_even_tokens_per_month;
  const double be = has_be ? *sel->cost.break_even_tokens_per_month : 0;
  marker(o, f, p.tokens_per_month, "your volume " + token_label(p.tokens_per_month), kTop + 80,
         has_be && be > p.tokens_per_month);
  if (has_be) {
    marker(o, f, be, "break-even " + token_label(be), kTop + 100, be < p.tokens_per_month);
    o << "<circle cx=\"" << num(f.px(be)) << "\" cy=\"" << num(f.py(p.cloud_price_per_token * be))
      << "\" r=\"5\" fill=\"#333\"/>\n";
  }
  legend(o, own_label, "Cloud: " + p.cloud.provider + " " + p.cloud.model);
  const auto& opt = p.options;
  char note[400];
  std::snprintf(note, sizeof note,
                "Own = price amortised over %g years + %g%%/year maintenance + power at $%g/kWh, PUE %g; "
                "steps = extra replicas for capacity.",
                opt.years, opt.maintenance_pct, opt.kwh_price, opt.pue);
  text(o, kLeft, kHeight - 40, note, "start", 11, " fill=\"#555\"");
  std::snprintf(note, sizeof note, "Cloud = $%g in / $%g out per million tokens (%s), %.0f%% of tokens are prompt.",
                p.cloud.input_per_million, p.cloud.output_per_million, p.cloud.date.c_str(),
                opt.input_share() * 100);
  text(o, kLeft, kHeight - 22, note, "start", 11, " fill=\"#555\"");
  o << "</svg>\n";
  return o.str();
}

}  // namespace cellar::plan
