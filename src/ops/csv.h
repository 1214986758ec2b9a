#pragma once
// RFC 4180 CSV: fields with comma, quote, CR or LF are quoted and quotes
// doubled; records end in CRLF. https://www.rfc-editor.org/rfc/rfc4180
#include <stdexcept>
#include <string>
#include <vector>

namespace cellar::ops {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string csv_field(const std::string& value);
std::string csv_record(const std::vector<std::string>& fields);  // with trailing CRLF

// Parses a whole document; accepts LF as well as CRLF record ends. Throws
// CsvError (with the line number) for a quote that is never closed or text
// after a closing quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace cellar::ops
