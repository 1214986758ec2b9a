// `cellar template set|show|diff|list`: versioned prompt templates.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/line_diff.h"
#include "registry/template_registry.h"
#include <fstream>
#include <sstream>

namespace cellar::cli {
namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw registry::InvalidInput("cannot read template file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct TemplateOptions {
  RegistryOptions reg;
  std::string name;
  std::string file;
  std::string ref;
  int64_t from = 0;
  int64_t to = 0;
  bool json = false;
  std::optional<std::string> filter;
};

int run_set(const TemplateOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::TemplateRegistry templates(*catalog);
  registry::TemplateSpec spec = registry::parse_template_spec(read_text_file(o.file), o.file);
  auto t = templates.set(o.name, spec, make_change(o.reg));
  std::printf("created template %s\n", t.label().c_str());
  return 0;
}

int run_show(const TemplateOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::TemplateRegistry templates(*catalog);
  auto t = templates.get(registry::parse_version_ref("template", o.ref));
  if (o.json) {
    std::cout << t.to_json().dump(2) << "\n";
  } else {
    std::printf("template %s (by %s at %s)\n%s", t.label().c_str(), t.created_by.c_str(), t.created_at.c_str(),
                t.to_text().c_str());
  }
  return 0;
}

int run_diff(const TemplateOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::TemplateRegistry templates(*catalog);
  auto a = templates.get({o.name, o.from});
  auto b = templates.get({o.name, o.to});
  std::string diff = registry::unified_diff(a.to_text(), b.to_text(), a.label(), b.label());
  std::fputs(diff.empty() ? "no differences\n" : diff.c_str(), stdout);
  return 0;
}

int run_list(const TemplateOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::TemplateRegistry templates(*catalog);
  auto all = templates.list(o.filter);
  if (all.empty()) std::printf("no templates (create one with `cellar template set NAME --file F`)\n");
  for (const auto& t : all) {
    std::printf("%-32s %-24s %s\n", t.label().c_str(), t.created_at.c_str(), t.created_by.c_str());
  }
  return 0;
}

CommandRegistration reg_template("template", [](CLI::App& app) {
  auto* sub = app.add_subcommand("template", "Versioned prompt templates (system prompt, chat template, parameters)");
  sub->require_subcommand(1);
  auto o = std::make_shared<TemplateOptions>();
  auto* set = sub->add_subcommand("set", "Create the next version of NAME from a YAML/JSON file");
  set->add_option("name", o->name, "Template name")->required();
  set->add_option("--file", o->file, "File with keys system, chat_template, parameters")->required();
  add_registry_options(set, o->reg, true);
  auto* show = sub->add_subcommand("show", "Print NAME or NAME:N");
  show->add_option("template", o->ref, "NAME[:N]")->required();
  show->add_flag("--json", o->json, "JSON output");
  add_registry_options(show, o->reg);
  auto* diff = sub->add_subcommand("diff", "Unified diff between two versions of NAME");
  diff->add_option("name", o->name, "Template name")->required();
  diff->add_option("from", o->from, "Older version number")->required()->check(CLI::PositiveNumber);
  diff->add_option("to", o->to, "Newer version number")->required()->check(CLI::PositiveNumber);
  add_registry_options(diff, o->reg);
  auto* list = sub->add_subcommand("list", "List template versions");
  list->add_option("name", o->filter, "Only versions of this template");
  add_registry_options(list, o->reg);
  return [o, set, show, diff]() {
    if (set->parsed()) return run_set(*o);
    if (show->parsed()) return run_show(*o);
    if (diff->parsed()) return run_diff(*o);
    return run_list(*o);
  };
});

}  // namespace
}  // namespace cellar::cli
