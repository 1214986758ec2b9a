#include "ops/csv.h"

namespace cellar::ops {

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string csv_record(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  return out + "\r\n";
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, after_quote = false, row_started = false;
  size_t line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
      row_started = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (row_started || !field.empty() || after_quote) end_field(), rows.push_back(std::move(row));
      row.clear();
      row_started = false;
      ++line;
    } else if (after_quote) {
      throw CsvError("line " + std::to_string(line) + ": text after a closing quote");
    } else if (c == '"' && field.empty()) {
      quoted = true;
      row_started = true;
    } else {
      field += c;
      row_started = true;
    }
  }
  if (quoted) throw CsvError("line " + std::to_string(line) + ": quote never closed");
  if (row_started || !field.empty() || after_quote) end_field(), rows.push_back(std::move(row));
  return rows;
}

}  // namespace cellar::ops
