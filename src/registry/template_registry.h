#pragma once
// Prompt templates: versioned (NAME:N, immutable) system prompt, optional
// chat-template override (Jinja text) and default sampling parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/catalog.h"
#include "registry/names.h"

namespace cellar::registry {

// The editable content of a template version.
struct TemplateSpec {
  std::string system_prompt;
  std::optional<std::string> chat_template;
  nlohmann::json parameters = nlohmann::json::object();

  bool operator==(const TemplateSpec& o) const {
    return system_prompt == o.system_prompt && chat_template == o.chat_template && parameters == o.parameters;
  }
};

// Parses a template file (YAML, or JSON which is YAML too) with the keys
// `system`, `chat_template` and `parameters`. Throws InvalidInput naming `source`.
TemplateSpec parse_template_spec(const std::string& text, const std::string& source);

struct PromptTemplate {
  int64_t id = 0;
  std::string name;
  int64_t version = 0;
  TemplateSpec spec;
  std::string created_by;
  std::string created_at;

  std::string label() const { return version_label(name, version); }
  nlohmann::json to_json() const;
  // A stable line-oriented rendering, the input of `cellar template diff`.
  std::string to_text() const;
};

class TemplateRegistry {
 public:
  explicit TemplateRegistry(Catalog& catalog) : catalog_(catalog) {}

  // Records the next version of `name`. Throws InvalidInput, or Conflict when
  // the content equals the latest version (nothing would change).
  PromptTemplate set(const std::string& name, const TemplateSpec& spec, const Change& change);
  PromptTemplate get(const VersionRef& ref);  // NotFound
  std::optional<PromptTemplate> find_by_id(int64_t id);
  std::vector<PromptTemplate> list(const std::optional<std::string>& name = std::nullopt);

 private:
  Catalog& catalog_;
};

}  // namespace cellar::registry
