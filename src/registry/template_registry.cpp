#include "registry/template_registry.h"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "registry/sampling_params.h"
#include "registry/timestamps.h"

namespace cellar::registry {
namespace {

constexpr size_t kMaxTextBytes = 1u << 20;

// Plain YAML scalars become JSON numbers/booleans/null when they read as such;
// quoted and block scalars (tag "!") stay strings.
nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() != "!") {
        nlohmann::json parsed = nlohmann::json::parse(s, nullptr, false);
        if (!parsed.is_discarded() && !parsed.is_object() && !parsed.is_array() && !parsed.is_string()) {
          return parsed;
        }
      }
      return s;
    }
    default:
      return nullptr;
  }
}

std::string text_field(const YAML::Node& node, const std::string& key, const std::string& source) {
  if (!node.IsScalar()) throw InvalidInput(source + ": '" + key + "' must be text");
  if (node.Scalar().size() > kMaxTextBytes) throw InvalidInput(source + ": '" + key + "' is larger than 1 MiB");
  return node.Scalar();
}

PromptTemplate read_template(const Statement& st) {
  PromptTemplate t;
  t.id = st.int64(0);
  t.name = st.text(1);
  t.version = st.int64(2);
  t.spec.system_prompt = st.text(3);
  t.spec.chat_template = st.opt_text(4);
  t.spec.parameters = nlohmann::json::parse(st.text(5));
  t.created_by = st.text(6);
  t.created_at = st.text(7);
  return t;
}

constexpr const char* kColumns =
    "id, name, version, system_prompt, chat_template, parameters, created_by, created_at";

}  // namespace

TemplateSpec parse_template_spec(const std::string& text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InvalidInput(source + ": not valid YAML or JSON: " + e.what());
  }
  if (!root.IsMap()) throw InvalidInput(source + ": expected a mapping with keys system, chat_template, parameters");
  TemplateSpec spec;
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    if (key == "system") {
      spec.system_prompt = text_field(kv.second, key, source);
    } else if (key == "chat_template") {
      if (!kv.second.IsNull()) spec.chat_template = text_field(kv.second, key, source);
    } else if (key == "parameters") {
      spec.parameters = kv.second.IsNull() ? nlohmann::json::object() : yaml_to_json(kv.second);
    } else {
      throw InvalidInput(source + ": unknown key '" + key + "' (expected system, chat_template, parameters)");
    }
  }
  validate_sampling_params(spec.parameters, source);
  return spec;
}

nlohmann::json PromptTemplate::to_json() const {
  return {{"name", name},
          {"version", version},
          {"system", spec.system_prompt},
          {"chat_template", spec.chat_template ? nlohmann::json(*spec.chat_template) : nlohmann::json()},
          {"parameters", spec.parameters},
          {"created_by", created_by},
          {"created_at", created_at}};
}

std::string PromptTemplate::to_text() const {
  std::ostringstream out;
  out << "# system\n" << spec.system_prompt;
  if (!spec.system_prompt.empty() && spec.system_prompt.back() != '\n') out << "\n";
  out << "# chat_template\n";
  if (spec.chat_template) {
    out << *spec.chat_template;
    if (!spec.chat_template->empty() && spec.chat_template->back() != '\n') out << "\n";
  } else {
    out << "(model default)\n";
  }
  out << "# parameters\n";
  for (const auto& [key, value] : spec.parameters.items()) out << key << ": " << value.dump() << "\n";
  return out.str();
}

PromptTemplate TemplateRegistry::set(const std::string& name, const TemplateSpec& given, const Change& change) {
  require_valid_name("template", name);
  TemplateSpec spec = given;
  if (spec.parameters.is_null()) spec.parameters = nlohmann::json::object();  // "no parameters"
  validate_sampling_params(spec.parameters, "template " + name);
  PromptTemplate t;
  catalog_.write([&] {
    std::optional<PromptTemplate> latest;
    Statement prev = catalog_.db().prepare(std::string("SELECT ") + kColumns +
                                           " FROM templates WHERE name = ?1 ORDER BY version DESC LIMIT 1");
    prev.bind(1, name);
    if (prev.step()) latest = read_template(prev);
    if (latest && latest->spec == spec) {
      throw Conflict("template " + latest->label() + " already has exactly this content; nothing to change");
    }
    t.name = name;
    t.version = latest ? latest->version + 1 : 1;
    t.spec = spec;
    t.created_by = change.actor;
    t.created_at = now_timestamp();
    catalog_.db()
        .prepare(
            "INSERT INTO templates(name, version, system_prompt, chat_template, parameters, created_by, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, t.name).bind(2, t.version).bind(3, t.spec.system_prompt).bind(4, t.spec.chat_template)
        .bind(5, t.spec.parameters.dump()).bind(6, t.created_by).bind(7, t.created_at)
        .run();
    t.id = catalog_.db().last_insert_rowid();
    catalog_.record(change, "template.set", "template:" + t.label(), latest ? latest->to_json() : nlohmann::json(),
                    t.to_json());
  });
  return t;
}

PromptTemplate TemplateRegistry::get(const VersionRef& ref) {
  require_valid_name("template", ref.name);
  std::string sql = std::string("SELECT ") + kColumns + " FROM templates WHERE name = ?1 " +
                    (ref.version ? "AND version = ?2" : "ORDER BY version DESC LIMIT 1");
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(sql);
  st.bind(1, ref.name);
  if (ref.version) st.bind(2, *ref.version);
  if (!st.step()) throw NotFound("no template " + ref.to_string() + " (create one with `cellar template set`)");
  return read_template(st);
}

std::optional<PromptTemplate> TemplateRegistry::find_by_id(int64_t id) {
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(std::string("SELECT ") + kColumns + " FROM templates WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_template(st);
}

std::vector<PromptTemplate> TemplateRegistry::list(const std::optional<std::string>& name) {
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(std::string("SELECT ") + kColumns +
                                       " FROM templates WHERE (?1 IS NULL OR name = ?1) ORDER BY name, version");
  st.bind(1, name);
  std::vector<PromptTemplate> out;
  while (st.step()) out.push_back(read_template(st));
  return out;
}

}  // namespace cellar::registry
