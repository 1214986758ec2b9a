#include "registry/deployment_registry.h"

#include "registry/sampling_params.h"
#include "registry/timestamps.h"

namespace cellar::registry {

nlohmann::json Deployment::effective_parameters() const {
  nlohmann::json base = prompt_template ? prompt_template->spec.parameters : nlohmann::json::object();
  return merge_sampling_params(base, parameters);
}

nlohmann::json Deployment::to_json() const {
  return {{"name", name},
          {"model", model.label()},
          {"template", prompt_template ? nlohmann::json(prompt_template->label()) : nlohmann::json()},
          {"parameters", parameters},
          {"effective_parameters", effective_parameters()},
          {"revision", revision},
          {"sha256", model.sha256},
          {"updated_by", updated_by},
          {"updated_at", updated_at}};
}

Deployment DeploymentRegistry::load(const std::string& name, const Target& target, int64_t revision,
                                    const std::string& by, const std::string& at) {
  Deployment d;
  d.name = name;
  auto model = models_.find_by_id(target.model_id);
  if (!model) throw StorageError("catalogue inconsistent: deployment '" + name + "' points at a missing model");
  d.model = *model;
  if (target.template_id) d.prompt_template = templates_.find_by_id(*target.template_id);
  d.parameters = target.parameters;
  d.revision = revision;
  d.updated_by = by;
  d.updated_at = at;
  d.model_path = models_.blob_path(d.model);
  return d;
}

nlohmann::json DeploymentRegistry::describe(const Target& target) {
  auto model = models_.find_by_id(target.model_id);
  nlohmann::json j = {{"model", model ? model->label() : "?"}, {"template", nullptr}, {"parameters", target.parameters}};
  if (target.template_id) {
    auto t = templates_.find_by_id(*target.template_id);
    j["template"] = t ? t->label() : "?";
  }
  return j;
}

std::optional<Deployment> DeploymentRegistry::find(const std::string& name) {
  require_valid_name("deployment", name);
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(
      "SELECT model_id, template_id, parameters, revision, updated_by, updated_at FROM deployments WHERE name = ?1");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  Target t{st.int64(0), st.opt_int64(1), nlohmann::json::parse(st.text(2))};
  return load(name, t, st.int64(3), st.text(4), st.text(5));
}

Deployment DeploymentRegistry::resolve(const std::string& name) {
  auto d = find(name);
  if (!d) throw NotFound("no deployment named '" + name + "' (create it with `cellar deploy " + name + " --model M:N`)");
  return *d;
}

std::vector<Deployment> DeploymentRegistry::list() {
  auto guard = catalog_.db().lock();
  std::vector<std::string> names;
  Statement st = catalog_.db().prepare("SELECT name FROM deployments ORDER BY name");
  while (st.step()) names.push_back(st.text(0));
  std::vector<Deployment> out;
  for (const auto& n : names) {
    if (auto d = find(n)) out.push_back(std::move(*d));
  }
  return out;
}

Deployment DeploymentRegistry::apply(const std::string& name, const Target& target, const std::string& action,
                                     const Change& change) {
  Database& db = catalog_.db();
  std::optional<Deployment> before = find(name);
  int64_t revision = before ? before->revision + 1 : 1;
  std::string at = now_timestamp();
  db.prepare(
        "INSERT INTO deployments(name, model_id, template_id, parameters, revision, updated_by, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(name) DO UPDATE SET model_id = excluded.model_id, "
        "template_id = excluded.template_id, parameters = excluded.parameters, revision = excluded.revision, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at")
      .bind(1, name).bind(2, target.model_id).bind(3, target.template_id).bind(4, target.parameters.dump())
      .bind(5, revision).bind(6, change.actor).bind(7, at)
      .run();
  db.prepare(
        "INSERT INTO deployment_history(deployment, action, model_id, template_id, parameters, reason, actor, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, name).bind(2, action).bind(3, target.model_id).bind(4, target.template_id)
      .bind(5, target.parameters.dump()).bind(6, change.reason).bind(7, change.actor).bind(8, at)
      .run();
  nlohmann::json before_json;
  if (before) {
    before_json = describe({before->model.id,
                            before->prompt_template ? std::optional<int64_t>(before->prompt_template->id) : std::nullopt,
                            before->parameters});
  }
  nlohmann::json after_json = describe(target);
  catalog_.record(change, "deployment." + action, "deployment:" + name, before_json, after_json);
  return load(name, target, revision, change.actor, at);
}

Deployment DeploymentRegistry::deploy(const DeployRequest& req, const Change& change) {
  require_valid_name("deployment", req.name);
  nlohmann::json parameters = req.parameters.is_null() ? nlohmann::json::object() : req.parameters;
  validate_sampling_params(parameters, "deployment " + req.name);
  Deployment result;
  catalog_.write([&] {
    Target target;
    target.model_id = models_.get(req.model).id;
    if (req.prompt_template) target.template_id = templates_.get(*req.prompt_template).id;
    target.parameters = parameters;
    result = apply(req.name, target, "deploy", change);
  });
  return result;
}

std::vector<DeploymentRegistry::Target> DeploymentRegistry::target_stack(const std::string& name) {
  Statement st = catalog_.db().prepare(
      "SELECT action, model_id, template_id, parameters FROM deployment_history WHERE deployment = ?1 ORDER BY id");
  st.bind(1, name);
  std::vector<Target> stack;
  while (st.step()) {
    if (st.text(0) == "rollback") {
      if (!stack.empty()) stack.pop_back();
    } else {
      stack.push_back({st.int64(1), st.opt_int64(2), nlohmann::json::parse(st.text(3))});
    }
  }
  return stack;
}

Deployment DeploymentRegistry::rollback(const std::string& name, const Change& change) {
  require_valid_name("deployment", name);
  Deployment result;
  catalog_.write([&] {
    if (!find(name)) throw NotFound("no deployment named '" + name + "'");
    std::vector<Target> stack = target_stack(name);
    if (stack.size() < 2) {
      throw Conflict("deployment '" + name + "' has no earlier target to roll back to (see `cellar history " +
                     name + "`)");
    }
    const Target& previous = stack[stack.size() - 2];
    auto model = models_.find_by_id(previous.model_id);
    if (!model || model->deleted_at) {
      throw Conflict("cannot roll back '" + name + "': its previous model version " +
                     (model ? model->label() : std::string("?")) + " was deleted; deploy a version explicitly");
    }
    result = apply(name, previous, "rollback", change);
  });
  return result;
}

std::vector<DeploymentHistoryEntry> DeploymentRegistry::history(const std::string& name) {
  require_valid_name("deployment", name);
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(
      "SELECT h.id, h.action, m.name, m.version, t.name, t.version, h.parameters, h.reason, h.actor, h.at "
      "FROM deployment_history h JOIN models m ON m.id = h.model_id LEFT JOIN templates t ON t.id = h.template_id "
      "WHERE h.deployment = ?1 ORDER BY h.id");
  st.bind(1, name);
  std::vector<DeploymentHistoryEntry> out;
  while (st.step()) {
    DeploymentHistoryEntry e;
    e.id = st.int64(0);
    e.action = st.text(1);
    e.model = version_label(st.text(2), st.int64(3));
    if (!st.is_null(4)) e.prompt_template = version_label(st.text(4), st.int64(5));
    e.parameters = nlohmann::json::parse(st.text(6));
    e.reason = st.opt_text(7);
    e.actor = st.text(8);
    e.at = st.text(9);
    out.push_back(std::move(e));
  }
  if (out.empty() && !find(name)) throw NotFound("no deployment named '" + name + "'");
  return out;
}

}  // namespace cellar::registry
