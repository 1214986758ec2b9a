#include "ops/health_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cellar::ops {
namespace {

constexpr double kWidth = 960, kHeight = 440;
constexpr double kLeft = 80, kRight = 80, kTop = 70, kBottom = 80;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string text(double x, double y, const std::string& s, const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" " + extra + ">" + xml_escape(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& style) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" " +
         style + "/>\n";
}

std::string bar_colour(double rate) {
  if (rate >= 0.999) return "#7bc47f";
  if (rate >= 0.8) return "#f0b84d";
  return "#e06666";
}

// Left axis (latency, ms) with grid lines, right axis (pass rate, %).
std::string axes(double latency_top, double step) {
  std::string s;
  for (double v = 0; v <= latency_top + step / 2; v += step) {
    double y = kTop + kPlotH - v / latency_top * kPlotH;
    s += line(kLeft, y, kLeft + kPlotW, y, "stroke=\"#e5e5e5\"");
    s += text(kLeft - 8, y + 4, std::to_string(static_cast<long>(v)), "text-anchor=\"end\"");
  }
  for (int pct = 0; pct <= 100; pct += 20) {
    double y = kTop + kPlotH - pct / 100.0 * kPlotH;
    s += text(kLeft + kPlotW + 8, y + 4, std::to_string(pct) + "%");
  }
  s += line(kLeft, kTop, kLeft, kTop + kPlotH, "stroke=\"#333\"");
  s += line(kLeft + kPlotW, kTop, kLeft + kPlotW, kTop + kPlotH, "stroke=\"#333\"");
  s += line(kLeft, kTop + kPlotH, kLeft + kPlotW, kTop + kPlotH, "stroke=\"#333\"");
  s += text(20, kTop + kPlotH / 2, "latency (ms)",
            "text-anchor=\"middle\" transform=\"rotate(-90 20 " + num(kTop + kPlotH / 2) + ")\"");
  s += text(kWidth - 15, kTop + kPlotH / 2, "pass rate",
            "text-anchor=\"middle\" transform=\"rotate(90 " + num(kWidth - 15) + " " + num(kTop + kPlotH / 2) + ")\"");
  return s;
}

std::string series(const std::vector<DayHealth>& days, double slot, double latency_top, double DayHealth::*field,
                   const std::string& colour, const std::string& dash) {
  std::string points, marks;
  for (size_t i = 0; i < days.size(); ++i) {
    double x = kLeft + slot * (static_cast<double>(i) + 0.5);
    double y = kTop + kPlotH - days[i].*field / latency_top * kPlotH;
    points += num(x) + "," + num(y) + " ";
    marks += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3\" fill=\"" + colour + "\"/>\n";
  }
  return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2.5\" " + dash + " points=\"" + points +
         "\"/>\n" + marks;
}

std::string legend() {
  std::string s;
  double x = kLeft, y = kTop - 22;
  s += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 10) + "\" width=\"14\" height=\"12\" fill=\"#7bc47f\"/>\n";
  s += text(x + 20, y, "pass rate (green 100%, amber >= 80%, red < 80%)");
  x += 360;
  s += line(x, y - 4, x + 24, y - 4, "stroke=\"#1f5fbf\" stroke-width=\"2.5\"");
  s += text(x + 30, y, "latency p50");
  x += 130;
  s += line(x, y - 4, x + 24, y - 4, "stroke=\"#8e2dbf\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"");
  s += text(x + 30, y, "latency p95");
  return s;
}

}  // namespace

double nice_step(double max, int target) {
  if (max <= 0) return 1;
  double raw = max / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (raw <= f * mag) return f * mag;
  return 10 * mag;
}

std::string health_chart_svg(const std::vector<DayHealth>& days, const std::string& title) {
  if (days.empty()) throw std::invalid_argument("no dated rows in the health CSV: nothing to chart");
  double max_latency = 0;
  for (const auto& d : days) max_latency = std::max({max_latency, d.latency_p50_ms, d.latency_p95_ms});
  double step = nice_step(max_latency, 5);
  double latency_top = std::max(step, std::ceil(max_latency / step) * step);
  double slot = kPlotW / static_cast<double>(days.size());

  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" +
                  num(kHeight) + "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                  "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += text(kWidth / 2, 24, title, "text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\"");
  s += axes(latency_top, step);
  size_t label_every = std::max<size_t>(1, (days.size() + 11) / 12);  // at most ~12 date labels
  for (size_t i = 0; i < days.size(); ++i) {
    double h = days[i].pass_rate * kPlotH, x = kLeft + slot * static_cast<double>(i);
    s += "<rect x=\"" + num(x + slot * 0.15) + "\" y=\"" + num(kTop + kPlotH - h) + "\" width=\"" +
         num(slot * 0.7) + "\" height=\"" + num(h) + "\" fill=\"" + bar_colour(days[i].pass_rate) +
         "\" fill-opacity=\"0.55\"><title>" + days[i].day + ": " + num(100 * days[i].pass_rate) +
         "% passed</title></rect>\n";
    if (i % label_every == 0) {
      double lx = x + slot / 2, ly = kTop + kPlotH + 16;
      s += text(lx, ly, days[i].day,
                "text-anchor=\"end\" transform=\"rotate(-35 " + num(lx) + " " + num(ly) + ")\"");
    }
  }
  s += series(days, slot, latency_top, &DayHealth::latency_p50_ms, "#1f5fbf", "");
  s += series(days, slot, latency_top, &DayHealth::latency_p95_ms, "#8e2dbf", "stroke-dasharray=\"6 4\"");
  s += legend();
  s += text(kLeft + kPlotW / 2, kHeight - 8, "day (UTC)", "text-anchor=\"middle\"");
  return s + "</svg>\n";
}

}  // namespace cellar::ops
