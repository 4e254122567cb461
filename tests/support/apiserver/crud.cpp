// GET, LIST, POST, PUT, PATCH and DELETE of resources with kube-apiserver's rules.
#include <algorithm>

#include "tests/support/apiserver/admission.h"
#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/api_core_internal.h"
#include "tests/support/apiserver/patch.h"
#include "tests/support/apiserver/protobuf_body.h"
#include "tests/support/apiserver/schema_validation.h"
#include "tests/support/apiserver/selectors.h"
#include "tests/support/apiserver/table_output.h"
#include "tests/support/apiserver/wire_format.h"

namespace numalign::test_apiserver {
namespace {

std::string MediaType(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  media.erase(media.find_last_not_of(" \t") + 1);
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media;
}

Json WithoutVolatile(Json object) {
  if (Json* metadata = FindMutable(object, "metadata")) metadata->erase("resourceVersion");
  return object;
}

Json WithoutMetadataAndStatus(Json object, bool drop_status) {
  object.erase("metadata");
  object.erase("kind");
  object.erase("apiVersion");
  if (drop_status) object.erase("status");
  return object;
}

std::string ObjectKey(const Json& object, bool all_namespaces) {
  std::string ns = MetadataString(object, "namespace");
  std::string name = MetadataString(object, "name");
  return all_namespaces && !ns.empty() ? ns + "/" + name : name;
}

std::string ContinueToken(uint64_t revision, const std::string& start) {
  Json token = {{"v", "meta.k8s.io/v1"}, {"rv", revision}, {"start", start + std::string(1, '\0')}};
  return Base64UrlEncode(token.dump());
}

std::vector<std::string> UnknownFieldWarnings(const std::vector<std::string>& pruned) {
  std::vector<std::string> warnings;
  for (const auto& field : pruned) warnings.push_back("unknown field \"" + field + "\"");
  return warnings;
}

std::optional<long long> ParseInteger(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  try {
    size_t used = 0;
    long long value = std::stoll(*text, &used);
    if (used != text->size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

FieldManager ApiServerCore::ManagerFor(const ApiRequest& request, const Target& target,
                                       bool status) const {
  FieldManager manager;
  manager.manager = request.Query("fieldManager").value_or("");
  if (manager.manager.empty()) manager.manager = UserAgentManager(request);
  manager.api_version = target.type->GroupVersion();
  manager.subresource = status ? "status" : "";
  manager.custom_resource = target.type->custom;
  manager.scope = status ? FieldScope::kStatusSubresource
                         : (target.type->has_status_subresource ? FieldScope::kMainResource
                                                                : FieldScope::kWholeObject);
  return manager;
}

ApiResponse ApiServerCore::ObjectResponse(const ApiRequest& request, const Target& target,
                                          const Json& stored, int status) {
  ApiResponse response;
  response.status = status;
  Json view = ToServedView(stored, *target.type);
  if (request.method == "GET" && WantsTable(request)) {
    response.body =
        EncodeWire(RenderTable(*target.type, {view}, MetadataString(view, "resourceVersion"),
                               request.Query("includeObject").value_or("Metadata")));
  } else {
    response.body = EncodeWire(view);
  }
  return response;
}

Json ApiServerCore::DecodeBody(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  std::string media = MediaType(request.Header("content-type"));
  std::string error;
  std::optional<Json> parsed;
  if (IsProtobufContentType(media)) {
    parsed = DecodeProtobufObject(request.body);
    if (!parsed)
      throw UnsupportedMediaType(
          "the body of the request was in an unknown format - the test API server decodes "
          "protobuf only for Namespace; send application/json",
          true);
  } else if (media == "application/yaml" || media == "application/x-yaml" || media == "text/yaml")
    parsed = ParseYaml(request.body, &error);
  else
    parsed = ParseJson(request.body, &error);
  std::string unrecognized = "the object provided is unrecognized (must be of type " + type.kind +
                             "): couldn't get version/kind; json parse error: ";
  if (!parsed) {
    std::string snippet =
        request.body.size() > 30 ? request.body.substr(0, 30) + " ..." : request.body;
    throw BadRequest(unrecognized + error + " (" + snippet + ")");
  }
  if (!parsed->is_object())
    throw BadRequest(unrecognized + "json: cannot unmarshal " +
                     (parsed->is_array() ? "array" : "value") + " into Go value of type struct");
  std::string kind = GetString(*parsed, "kind");
  if (!kind.empty() && kind != type.kind)
    throw BadRequest(kind + " in version \"" + type.version + "\" cannot be handled as a " +
                     type.kind + ": converting (" + type.version + "." + kind + ") to (core." +
                     type.kind + "): unknown conversion");
  if (const Json* metadata = Find(*parsed, "metadata"); metadata && !metadata->is_object())
    throw BadRequest(type.kind + " in version \"" + type.version + "\" cannot be handled as a " +
                     type.kind + ": metadata must be an object");
  return *parsed;
}

ApiResponse ApiServerCore::Get(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  Json object;
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
    if (!found) throw NotFound(target.Subject(target.name));
    object = *found;
  }
  return ObjectResponse(request, target, object, 200);
}

ApiResponse ApiServerCore::List(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  bool table = WantsTable(request);
  auto label_selector = LabelSelector::Parse(request.Query("labelSelector").value_or(""));
  auto field_selector =
      FieldSelector::Parse(request.Query("fieldSelector").value_or(""), SupportedFieldLabels(type));
  auto rv = request.Query("resourceVersion");
  auto match = request.Query("resourceVersionMatch");
  auto continue_token = request.Query("continue");
  if (match && !match->empty() && (!rv || rv->empty()))
    throw Invalid({"", "meta.k8s.io", "ListOptions"}, "ListOptions.meta.k8s.io",
                  {{"FieldValueForbidden",
                    "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is "
                    "provided",
                    "resourceVersionMatch"}});
  if (continue_token && !continue_token->empty() && rv && !rv->empty())
    throw BadRequest("specifying resource version is not allowed when using continue");
  long long limit = ParseInteger(request.Query("limit")).value_or(0);

  std::vector<Json> items;
  uint64_t read_revision = 0;
  std::string start_key;
  bool continuing = false;
  {
    auto lock = store_.Lock();
    if (continue_token && !continue_token->empty()) {
      auto decoded = Base64UrlDecode(*continue_token);
      std::string error;
      std::optional<Json> token = decoded ? ParseJson(*decoded, &error) : std::nullopt;
      if (!token || !token->is_object() || !Find(*token, "rv") || !(*token)["rv"].is_number())
        throw BadRequest(
            "invalid continue token: continue key is not valid: invalid character '\\u0081' "
            "looking for beginning of value");
      long long token_rv = (*token)["rv"].get<long long>();
      start_key = GetString(*token, "start");
      if (!start_key.empty() && start_key[0] == '/') start_key.erase(0, 1);
      continuing = true;
      auto snapshot = token_rv > 0 ? store_.ListAtLocked(type.storage_id, target.ns,
                                                         static_cast<uint64_t>(token_rv))
                                   : std::optional<std::vector<Json>>();
      if (!snapshot) {
        std::string stripped = start_key.substr(0, start_key.find('\0'));
        Json expired = FailureStatus(
            410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You "
            "can start a new list without the continue parameter, or use the continue token in "
            "this response to retrieve the remainder of the results. Continuing with the provided "
            "token results in an inconsistent list - objects that were created, modified, or "
            "deleted between the time the first chunk was returned and now may show up in the "
            "list.",
            nullptr);
        Json token_json = {
            {"v", "meta.k8s.io/v1"}, {"rv", -1}, {"start", stripped + std::string(1, '\0')}};
        expired["metadata"]["continue"] = Base64UrlEncode(token_json.dump());
        throw ApiError(410, expired);
      }
      items = std::move(*snapshot);
      read_revision = static_cast<uint64_t>(token_rv);
    } else if (rv && !rv->empty() && *rv != "0" &&
               (match.value_or("") == "Exact" ||
                (limit > 0 && match.value_or("") != "NotOlderThan"))) {
      auto requested = ParseInteger(rv);
      if (!requested || *requested < 0)
        throw BadRequest("invalid resource version \"" + *rv + "\"");
      if (static_cast<uint64_t>(*requested) > store_.CurrentRevisionLocked())
        throw ApiError(504, FailureStatus(504, "Timeout",
                                          "Too large resource version: " + *rv + ", current: " +
                                              std::to_string(store_.CurrentRevisionLocked()),
                                          nullptr));
      auto snapshot =
          store_.ListAtLocked(type.storage_id, target.ns, static_cast<uint64_t>(*requested));
      if (!snapshot) throw Gone("The resourceVersion for the provided list is too old.");
      items = std::move(*snapshot);
      read_revision = static_cast<uint64_t>(*requested);
    } else {
      items = store_.ListLocked(type.storage_id, target.ns);
      read_revision = store_.CurrentRevisionLocked();
      if (rv && *rv == "0") limit = 0;  // served from the watch cache: limit is ignored
    }
  }

  bool all_namespaces = type.namespaced && target.ns.empty();
  std::vector<Json> selected;
  for (auto& item : items) {
    if (!continuing || ObjectKey(item, all_namespaces) >= start_key)
      if (label_selector.Matches(FindPath(item, {"metadata", "labels"}) ? item["metadata"]["labels"]
                                                                        : Json::object()) &&
          field_selector.Matches(item, FieldLabelValue))
        selected.push_back(ToServedView(item, type));
  }
  std::sort(selected.begin(), selected.end(), [&](const Json& a, const Json& b) {
    return ObjectKey(a, all_namespaces) < ObjectKey(b, all_namespaces);
  });
  std::string next_token;
  long long remaining = 0;
  if (limit > 0 && static_cast<long long>(selected.size()) > limit) {
    remaining = static_cast<long long>(selected.size()) - limit;
    selected.resize(static_cast<size_t>(limit));
    std::string last = ObjectKey(selected.back(), all_namespaces);
    // kube-apiserver's first-page token carries the key with a leading "/", later ones without.
    next_token = ContinueToken(read_revision, continuing ? last : "/" + last);
  }
  bool filtered = !label_selector.empty() || !field_selector.empty();

  ApiResponse response;
  std::string revision_text = std::to_string(read_revision);
  if (table) {
    response.body =
        EncodeWire(RenderTable(type, selected, revision_text,
                               request.Query("includeObject").value_or("Metadata"), next_token));
    return response;
  }
  if (type.custom) {
    Json list = Json::object();
    list["apiVersion"] = type.GroupVersion();
    list["items"] = Json::array();
    for (auto& item : selected) list["items"].push_back(item);
    list["kind"] = type.list_kind;
    Json metadata = {{"continue", next_token}};
    if (!next_token.empty() && !filtered) metadata["remainingItemCount"] = remaining;
    metadata["resourceVersion"] = revision_text;
    list["metadata"] = metadata;
    response.body = EncodeWire(list);
    return response;
  }
  Json metadata = {{"resourceVersion", revision_text}};
  if (!next_token.empty()) {
    metadata["continue"] = next_token;
    if (!filtered) metadata["remainingItemCount"] = remaining;
  }
  Json list = {{"kind", type.list_kind},
               {"apiVersion", type.GroupVersion()},
               {"metadata", metadata},
               {"items", Json::array()}};
  for (auto& item : selected) {
    item.erase("kind");
    item.erase("apiVersion");
    list["items"].push_back(std::move(item));
  }
  response.body = EncodeWire(list);
  return response;
}

Json ApiServerCore::CreateLocked(const ApiRequest& request, const Target& target, Json object,
                                 const FieldManager& manager, bool dry_run,
                                 std::vector<std::string>* warnings, const Json* apply_managed) {
  const ResourceType& type = *target.type;
  if (!object.contains("metadata") || !object["metadata"].is_object())
    object["metadata"] = Json::object();
  Json& metadata = object["metadata"];
  if (type.namespaced) {
    std::string body_ns = GetString(metadata, "namespace");
    if (!body_ns.empty() && body_ns != target.ns)
      throw BadRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    metadata["namespace"] = target.ns;
    auto namespaces = registry_.Find("", "v1", "namespaces");
    if (!store_.GetLocked(namespaces->storage_id, "", target.ns))
      throw NotFound({target.ns, "", "namespaces"});
  } else {
    metadata.erase("namespace");
  }
  std::string error = DecodeChecks(object, type);
  if (!error.empty())
    throw BadRequest(type.kind + " in version \"" + type.version + "\" cannot be handled as a " +
                     type.kind + ": " + error);
  if (type.custom) {
    auto pruned = PruneUnknownFields(object, type.schema);
    if (!pruned.empty()) {
      if (request.Query("fieldValidation").value_or("") == "Strict") {
        std::string message;
        for (const auto& field : pruned)
          message += (message.empty() ? "" : ", ") + std::string("unknown field \"") + field + "\"";
        throw BadRequest(".meta.k8s.io \"\" is invalid: strict decoding error: " + message);
      }
      auto unknown = UnknownFieldWarnings(pruned);
      warnings->insert(warnings->end(), unknown.begin(), unknown.end());
    }
  }
  object = ToStoredForm(object, type);
  Json& meta = object["metadata"];
  std::string name = GetString(meta, "name");
  std::string generate_name = GetString(meta, "generateName");
  if (name.empty() && !generate_name.empty()) {
    do {
      name = generate_name + RandomNameSuffix();
    } while (store_.GetLocked(type.storage_id, target.ns, name));
    meta["name"] = name;
  }
  for (const char* key : {"uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields"})
    meta.erase(key);
  if (type.has_status_subresource && type.kind != "Node") object.erase("status");
  ApplyDefaults(object, type, true);

  auto causes = Validate(object, nullptr, type);
  if (type.custom) {
    auto schema_causes = ValidateAgainstSchema(object, type.schema);
    causes.insert(causes.end(), schema_causes.begin(), schema_causes.end());
  }
  if (!causes.empty()) throw Invalid(target.KindSubject(name), target.QualifiedKind(), causes);
  if (store_.GetLocked(type.storage_id, target.ns, name)) throw AlreadyExists(target.Subject(name));

  meta["uid"] = NewUuid();
  meta["creationTimestamp"] = NowTime();
  if (type.has_generation) meta["generation"] = 1;
  if (apply_managed) {
    meta["managedFields"] = *apply_managed;
  } else {
    // managedFields are computed on the object as the writer sent it (its group-version).
    Json view = ToServedView(object, type);
    RecordUpdateOperation(Json::object(), view, manager);
    if (const Json* managed = FindPath(view, {"metadata", "managedFields"}))
      meta["managedFields"] = *managed;
  }
  AdmitOnCreate(object, type);
  InitializeStatus(object, type);
  CanonicalizeKeyOrder(object, type);
  if (dry_run) return object;
  store_.PutLocked(type.storage_id, target.ns, name, object);
  Json stored = *store_.GetLocked(type.storage_id, target.ns, name);
  AfterCreateLocked(target, stored);
  return stored;
}

void ApiServerCore::AfterCreateLocked(const Target& target, const Json& stored) {
  if (target.type->kind != "CustomResourceDefinition") return;
  registry_.RegisterCustomResourceDefinition(stored);
  // The establishing controllers: names accepted, Established, API approval conformant.
  Json established = stored;
  std::string now = NowTime();
  Json conditions = Json::array({{{"type", "NamesAccepted"},
                                  {"status", "True"},
                                  {"lastTransitionTime", now},
                                  {"reason", "NoConflicts"},
                                  {"message", "no conflicts found"}},
                                 {{"type", "Established"},
                                  {"status", "True"},
                                  {"lastTransitionTime", now},
                                  {"reason", "InitialNamesAccepted"},
                                  {"message", "the initial names have been accepted"}}});
  if (const Json* approved =
          FindPath(stored, {"metadata", "annotations", "api-approved.kubernetes.io"}))
    conditions.push_back(
        {{"type", "KubernetesAPIApprovalPolicyConformant"},
         {"status", "True"},
         {"lastTransitionTime", now},
         {"reason", "ApprovedAnnotation"},
         {"message", "approved in " +
                         (approved->is_string() ? approved->get<std::string>() : std::string())}});
  established["status"]["conditions"] = conditions;
  if (const Json* names = FindPath(stored, {"spec", "names"}))
    established["status"]["acceptedNames"] = *names;
  CanonicalizeKeyOrder(established, *target.type);
  store_.PutLocked(target.type->storage_id, "", MetadataString(stored, "name"), established);
}

ApiResponse ApiServerCore::Create(const ApiRequest& request, const Target& target) {
  Json body = DecodeBody(request, target);
  bool dry_run = request.Query("dryRun").has_value();
  FieldManager manager = ManagerFor(request, target, false);
  std::vector<std::string> warnings;
  Json stored;
  {
    auto lock = store_.Lock();
    stored = CreateLocked(request, target, std::move(body), manager, dry_run, &warnings);
  }
  ApiResponse response = ObjectResponse(request, target, stored, 201);
  for (const auto& warning : warnings)
    response.headers.emplace_back("Warning", "299 - " + EncodeCompact(warning));
  return response;
}

Json ApiServerCore::CommitUpdateLocked(const Target& target, const Json& old_object,
                                       Json new_object, const FieldManager* manager,
                                       bool /*count_as_update*/) {
  const ResourceType& type = *target.type;
  bool status_write = target.subresource == "status";
  if (!new_object.contains("metadata") || !new_object["metadata"].is_object())
    new_object["metadata"] = Json::object();
  const Json& old_meta = old_object["metadata"];
  Json& meta = new_object["metadata"];
  for (const char* key : {"name", "namespace", "uid", "creationTimestamp", "generation",
                          "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"}) {
    if (const Json* value = Find(old_meta, key))
      meta[key] = *value;
    else
      meta.erase(key);
  }
  if (manager) {
    if (const Json* managed = Find(old_meta, "managedFields"))
      meta["managedFields"] = *managed;
    else
      meta.erase("managedFields");
  }
  if (status_write) {
    // The status strategy only takes status (and metadata) from the request.
    Json merged = old_object;
    if (const Json* status = Find(new_object, "status"))
      merged["status"] = *status;
    else
      merged.erase("status");
    merged["metadata"] = meta;
    new_object = std::move(merged);  // `meta` dangles from here on
  } else if (type.has_status_subresource) {
    if (const Json* status = Find(old_object, "status"))
      new_object["status"] = *status;
    else
      new_object.erase("status");
  }
  new_object["apiVersion"] = old_object.value("apiVersion", type.GroupVersion());
  new_object["kind"] = old_object.value("kind", type.kind);

  std::string name = target.name;
  Json& metadata = new_object["metadata"];
  auto causes = Validate(new_object, &old_object, type);
  if (type.custom) {
    auto schema_causes = ValidateAgainstSchema(new_object, type.schema);
    causes.insert(causes.end(), schema_causes.begin(), schema_causes.end());
  }
  if (!causes.empty()) throw Invalid(target.KindSubject(name), target.QualifiedKind(), causes);

  if (type.has_generation &&
      WithoutMetadataAndStatus(old_object, type.has_status_subresource) !=
          WithoutMetadataAndStatus(new_object, type.has_status_subresource)) {
    long long generation = old_meta.value("generation", 1LL);
    metadata["generation"] = generation + 1;
  }
  if (manager) {
    Json old_view = ToServedView(old_object, type);
    Json new_view = ToServedView(new_object, type);
    RecordUpdateOperation(old_view, new_view, *manager);
    if (const Json* managed = FindPath(new_view, {"metadata", "managedFields"}))
      metadata["managedFields"] = *managed;
    else
      metadata.erase("managedFields");
  }
  CanonicalizeKeyOrder(new_object, type);
  if (WithoutVolatile(new_object) == WithoutVolatile(old_object)) return old_object;

  std::string ns = target.ns;
  store_.PutLocked(type.storage_id, ns, name, new_object);
  Json stored = *store_.GetLocked(type.storage_id, ns, name);
  // A deleting object whose last finalizer was removed goes away now.
  const Json* finalizers = FindPath(stored, {"metadata", "finalizers"});
  bool no_finalizers = !finalizers || !finalizers->is_array() || finalizers->empty();
  if (FindPath(stored, {"metadata", "deletionTimestamp"}) && no_finalizers && type.kind != "Pod" &&
      type.kind != "Namespace") {
    Json final_state = stored;
    store_.RemoveLocked(type.storage_id, ns, name, final_state);
    AfterDeleteLocked(target, final_state);
  }
  return stored;
}

ApiResponse ApiServerCore::Update(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  Json body = DecodeBody(request, target);
  if (!body.contains("metadata")) body["metadata"] = Json::object();
  std::string body_name = GetString(body["metadata"], "name");
  if (!body_name.empty() && body_name != target.name)
    throw BadRequest("the name of the object (" + body_name +
                     ") does not match the name on the URL (" + target.name + ")");
  std::string body_ns = GetString(body["metadata"], "namespace");
  if (type.namespaced && !body_ns.empty() && body_ns != target.ns)
    throw BadRequest(
        "the namespace of the provided object does not match the namespace sent on the request");
  bool status = target.subresource == "status";
  FieldManager manager = ManagerFor(request, target, status);
  std::vector<std::string> warnings;
  Json stored;
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
    if (!found) throw NotFound(target.Subject(target.name));
    Json old_object = *found;
    std::string body_rv = GetString(body["metadata"], "resourceVersion");
    if (body_rv.empty() && !type.allow_unconditional_update)
      throw Invalid(target.Subject(target.name), type.QualifiedResource(),
                    {{"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update",
                      "metadata.resourceVersion"}});
    if (!body_rv.empty() && body_rv != MetadataString(old_object, "resourceVersion"))
      throw Conflict(target.Subject(target.name), type.QualifiedResource(),
                     "the object has been modified; please apply your changes to the latest "
                     "version and try again");
    std::string error = DecodeChecks(body, type);
    if (!error.empty())
      throw BadRequest(type.kind + " in version \"" + type.version + "\" cannot be handled as a " +
                       type.kind + ": " + error);
    if (type.custom) {
      auto pruned = PruneUnknownFields(body, type.schema);
      auto unknown = UnknownFieldWarnings(pruned);
      warnings.insert(warnings.end(), unknown.begin(), unknown.end());
    }
    Json new_object = ToStoredForm(body, type);
    ApplyDefaults(new_object, type, false);
    stored = CommitUpdateLocked(target, old_object, std::move(new_object), &manager, true);
  }
  ApiResponse response = ObjectResponse(request, target, stored, 200);
  for (const auto& warning : warnings)
    response.headers.emplace_back("Warning", "299 - " + EncodeCompact(warning));
  return response;
}

ApiResponse ApiServerCore::Patch(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  std::string media = MediaType(request.Header("content-type"));
  bool status = target.subresource == "status";
  bool dry_run = request.Query("dryRun").has_value();
  FieldManager manager = ManagerFor(request, target, status);

  if (media == "application/apply-patch+yaml") {
    std::string field_manager = request.Query("fieldManager").value_or("");
    if (field_manager.empty())
      throw Invalid(
          {"", "meta.k8s.io", "PatchOptions"}, "PatchOptions.meta.k8s.io",
          {{"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"}});
    std::string error;
    auto config = ParseYaml(request.body, &error);
    if (!config) throw BadRequest("error decoding YAML: " + error);
    if (!config->is_object()) throw BadRequest("invalid object type: /, Kind=");
    std::string api_version = GetString(*config, "apiVersion");
    std::string kind = GetString(*config, "kind");
    if (api_version.empty() || kind.empty()) {
      // Go prints the GroupVersionKind as "group/version, Kind=kind".
      std::string group_version =
          api_version.find('/') == std::string::npos ? "/" + api_version : api_version;
      throw BadRequest("invalid object type: " + group_version + ", Kind=" + kind);
    }
    std::string config_name = MetadataString(*config, "name");
    if (config_name != target.name)
      throw BadRequest("the name of the object (" + config_name +
                       ") does not match the name on the URL (" + target.name + ")");
    auto force_value = request.Query("force");
    std::string force_text = force_value.value_or("false");
    std::transform(force_text.begin(), force_text.end(), force_text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool force = force_value && force_text != "false" && force_text != "0";
    std::string decode_error = DecodeChecks(*config, type);
    if (!decode_error.empty())
      throw BadRequest(type.kind + " in version \"" + type.version + "\" cannot be handled as a " +
                       type.kind + ": " + decode_error);
    std::vector<std::string> warnings;
    if (type.custom) {
      auto pruned = PruneUnknownFields(*config, type.schema);
      auto unknown = UnknownFieldWarnings(pruned);
      warnings.insert(warnings.end(), unknown.begin(), unknown.end());
    }
    Json stored;
    int code = 200;
    {
      auto lock = store_.Lock();
      const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
      if (!found) {
        if (status) throw NotFound(target.Subject(target.name));
        ApplyOutcome outcome = ServerSideApply(Json(), *config, manager, force);
        Json managed = FindPath(outcome.object, {"metadata", "managedFields"})
                           ? outcome.object["metadata"]["managedFields"]
                           : Json::array();
        stored =
            CreateLocked(request, target, outcome.object, manager, dry_run, &warnings, &managed);
        code = 201;
      } else {
        Json old_object = *found;
        Json view = ToServedView(old_object, type);
        ApplyOutcome outcome = ServerSideApply(view, *config, manager, force);
        if (!outcome.conflicts.empty()) {
          Json causes = Json::array();
          for (const auto& conflict : outcome.conflicts)
            causes.push_back({{"reason", "FieldManagerConflict"},
                              {"message", "conflict with " + conflict.manager},
                              {"field", FieldPathString(conflict.path)}});
          Json details = {{"causes", causes}};
          throw ApiError(409, FailureStatus(409, "Conflict",
                                            ApplyConflictMessage(outcome.conflicts), &details));
        }
        Json new_object = ToStoredForm(outcome.object, type);
        ApplyDefaults(new_object, type, false);
        stored = dry_run
                     ? new_object
                     : CommitUpdateLocked(target, old_object, std::move(new_object), nullptr, true);
      }
    }
    ApiResponse response = ObjectResponse(request, target, stored, code);
    for (const auto& warning : warnings)
      response.headers.emplace_back("Warning", "299 - " + EncodeCompact(warning));
    return response;
  }

  bool merge = media == "application/merge-patch+json";
  bool json_patch = media == "application/json-patch+json";
  bool strategic = media == "application/strategic-merge-patch+json";
  if (type.custom && !merge && !json_patch)
    throw UnsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        false);
  if (!merge && !json_patch && !strategic)
    throw UnsupportedMediaType("415: Unsupported Media Type", true);
  std::string error;
  auto patch = ParseJson(request.body, &error);
  if (!patch) throw BadRequest("error decoding patch: " + error);
  if (json_patch && !patch->is_array())
    throw BadRequest(
        "error decoding patch: json: cannot unmarshal object into Go value of type "
        "[]handlers.jsonPatchOp");
  if (!json_patch && !patch->is_object())
    throw BadRequest(
        "error decoding patch: json: cannot unmarshal array into Go value of type "
        "map[string]interface {}");
  Json stored;
  std::vector<std::string> warnings;
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
    if (!found) throw NotFound(target.Subject(target.name));
    Json old_object = *found;
    Json view = ToServedView(old_object, type);
    Json patched = json_patch ? ApplyJsonPatch(view, *patch)
                              : (merge ? ApplyMergePatch(view, *patch)
                                       : ApplyStrategicMergePatch(view, *patch));
    if (!patched.is_object()) throw BadRequest("the patched object is not an object");
    std::string patched_rv = MetadataString(patched, "resourceVersion");
    if (!patched_rv.empty() && patched_rv != MetadataString(old_object, "resourceVersion"))
      throw Conflict(target.Subject(target.name), type.QualifiedResource(),
                     "the object has been modified; please apply your changes to the latest "
                     "version and try again");
    std::string patched_name = MetadataString(patched, "name");
    if (patched_name != target.name)
      throw BadRequest("the name of the object (" + patched_name +
                       ") does not match the name on the URL (" + target.name + ")");
    std::string decode_error = DecodeChecks(patched, type);
    if (!decode_error.empty()) {
      std::string echo = EncodeCompact(patched);
      std::string message = "Invalid value: " + EncodeCompact(Json(echo)) + ": " + decode_error;
      Json details = {{"causes", Json::array({{{"reason", "FieldValueInvalid"},
                                               {"message", message},
                                               {"field", "patch"}}})}};
      throw ApiError(
          422, FailureStatus(422, "Invalid", " \"\" is invalid: patch: " + message, &details));
    }
    if (type.custom) {
      auto pruned = PruneUnknownFields(patched, type.schema);
      auto unknown = UnknownFieldWarnings(pruned);
      warnings.insert(warnings.end(), unknown.begin(), unknown.end());
    }
    Json new_object = ToStoredForm(patched, type);
    ApplyDefaults(new_object, type, false);
    stored = dry_run
                 ? new_object
                 : CommitUpdateLocked(target, old_object, std::move(new_object), &manager, true);
  }
  ApiResponse response = ObjectResponse(request, target, stored, 200);
  for (const auto& warning : warnings)
    response.headers.emplace_back("Warning", "299 - " + EncodeCompact(warning));
  return response;
}

Json ApiServerCore::DeleteNowLocked(const Target& target, const Json& object) {
  const ResourceType& type = *target.type;
  std::string ns = MetadataString(object, "namespace");
  std::string name = MetadataString(object, "name");
  Json final_state = object;
  if (type.kind == "Pod") {
    // Pods record the deletion first (MODIFIED with deletionTimestamp), then disappear.
    if (!FindPath(final_state, {"metadata", "deletionTimestamp"})) {
      final_state["metadata"]["deletionTimestamp"] = NowTime();
      final_state["metadata"]["deletionGracePeriodSeconds"] = 0;
      CanonicalizeKeyOrder(final_state, type);
      store_.PutLocked(type.storage_id, ns, name, final_state);
      final_state = *store_.GetLocked(type.storage_id, ns, name);
    } else if (final_state["metadata"].value("deletionGracePeriodSeconds", 0) != 0) {
      final_state["metadata"]["deletionGracePeriodSeconds"] = 0;
      store_.PutLocked(type.storage_id, ns, name, final_state);
      final_state = *store_.GetLocked(type.storage_id, ns, name);
    }
  }
  store_.RemoveLocked(type.storage_id, ns, name, final_state);
  final_state["metadata"]["resourceVersion"] = std::to_string(store_.CurrentRevisionLocked());
  AfterDeleteLocked(target, final_state);
  return final_state;
}

void ApiServerCore::AfterDeleteLocked(const Target& target, const Json& deleted) {
  if (target.type->kind != "CustomResourceDefinition") return;
  std::string group = GetString(deleted.value("spec", Json::object()), "group");
  std::string plural =
      GetString(deleted.value("spec", Json::object()).value("names", Json::object()), "plural");
  std::string storage_id = ResourceRegistry::CustomStorageId(group, plural);
  for (const auto& key : store_.NamesLocked(storage_id)) {
    size_t slash = key.find('/');
    std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
    Json object = *store_.GetLocked(storage_id, ns, name);
    store_.RemoveLocked(storage_id, ns, name, object);
  }
  registry_.UnregisterCustomResourceDefinition(MetadataString(deleted, "name"));
}

void ApiServerCore::FinishNamespaceDeletionLocked(const std::string& ns) {
  // What the namespace controller does: delete everything in it, then the namespace itself.
  for (const auto& [storage_id, name] : store_.ObjectsInNamespaceLocked(ns)) {
    const Json* object = store_.GetLocked(storage_id, ns, name);
    if (object) store_.RemoveLocked(storage_id, ns, name, *object);
  }
  auto namespaces = registry_.Find("", "v1", "namespaces");
  if (const Json* object = store_.GetLocked(namespaces->storage_id, "", ns)) {
    const Json* finalizers = FindPath(*object, {"metadata", "finalizers"});
    if (finalizers && finalizers->is_array() && !finalizers->empty()) return;
    Json final_state = *object;
    final_state["spec"]["finalizers"] = Json::array();
    store_.RemoveLocked(namespaces->storage_id, "", ns, final_state);
  }
}

ApiResponse ApiServerCore::Delete(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  Json options = Json::object();
  // DeleteOptions may come as protobuf from typed clients; only JSON ones are read.
  if (!request.body.empty() && !IsProtobufContentType(request.Header("content-type"))) {
    std::string error;
    auto parsed = ParseJson(request.body, &error);
    if (!parsed || !parsed->is_object()) throw BadRequest("error decoding DeleteOptions: " + error);
    options = *parsed;
  }
  std::optional<long long> grace = ParseInteger(request.Query("gracePeriodSeconds"));
  if (const Json* body_grace = Find(options, "gracePeriodSeconds");
      body_grace && body_grace->is_number_integer())
    grace = body_grace->get<long long>();
  bool dry_run = request.Query("dryRun").has_value() || Find(options, "dryRun");

  Json response_object;
  bool deleted_now = false;
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
    if (!found) throw NotFound(target.Subject(target.name));
    Json object = *found;
    if (const Json* preconditions = Find(options, "preconditions")) {
      std::string uid = GetString(*preconditions, "uid");
      std::string rv = GetString(*preconditions, "resourceVersion");
      std::string actual_uid = MetadataString(object, "uid");
      std::string actual_rv = MetadataString(object, "resourceVersion");
      if (!uid.empty() && uid != actual_uid)
        throw Conflict(target.KindSubject(target.name), type.QualifiedKind(),
                       "the UID in the precondition (" + uid +
                           ") does not match the UID in record (" + actual_uid +
                           "). The object might have been deleted and then recreated");
      if (!rv.empty() && rv != actual_rv)
        throw Conflict(target.KindSubject(target.name), type.QualifiedKind(),
                       "the ResourceVersion in the precondition (" + rv +
                           ") does not match the ResourceVersion in record (" + actual_rv +
                           "). The object might have been modified");
    }
    if (dry_run) {
      response_object = object;
    } else if (type.kind == "Namespace") {
      if (!FindPath(object, {"metadata", "deletionTimestamp"})) {
        object["metadata"]["deletionTimestamp"] = NowTime();
        object["status"]["phase"] = "Terminating";
        CanonicalizeKeyOrder(object, type);
        store_.PutLocked(type.storage_id, "", target.name, object);
        object = *store_.GetLocked(type.storage_id, "", target.name);
      }
      response_object = object;
      FinishNamespaceDeletionLocked(target.name);
    } else if (const Json* finalizers = FindPath(object, {"metadata", "finalizers"});
               finalizers && finalizers->is_array() && !finalizers->empty()) {
      if (!FindPath(object, {"metadata", "deletionTimestamp"})) {
        object["metadata"]["deletionTimestamp"] = NowTime();
        object["metadata"]["deletionGracePeriodSeconds"] = 0;
        CanonicalizeKeyOrder(object, type);
        store_.PutLocked(type.storage_id, target.ns, target.name, object);
        object = *store_.GetLocked(type.storage_id, target.ns, target.name);
      }
      response_object = object;
    } else if (type.kind == "Pod" &&
               !GetString(object.value("spec", Json::object()), "nodeName").empty() &&
               grace.value_or(1) != 0) {
      // A bound pod terminates gracefully: the kubelet removes it (there is none here, so it
      // stays until deleted again with gracePeriodSeconds=0, exactly like a cluster without
      // kubelets).
      long long seconds =
          grace.value_or(object["spec"].value("terminationGracePeriodSeconds", 30LL));
      if (!FindPath(object, {"metadata", "deletionTimestamp"})) {
        object["metadata"]["deletionTimestamp"] =
            FormatTime(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
        object["metadata"]["deletionGracePeriodSeconds"] = seconds;
        CanonicalizeKeyOrder(object, type);
        store_.PutLocked(type.storage_id, target.ns, target.name, object);
        object = *store_.GetLocked(type.storage_id, target.ns, target.name);
      }
      response_object = object;
    } else {
      response_object = DeleteNowLocked(target, object);
      deleted_now = true;
    }
  }
  if (deleted_now && !type.return_object_on_delete) {
    Json details = Json::object();
    details["name"] = target.name;
    if (!type.group.empty()) details["group"] = type.group;
    details["kind"] = type.plural;
    details["uid"] = MetadataString(response_object, "uid");
    ApiResponse response;
    response.body = EncodeWire(SuccessStatus(&details, 0));
    return response;
  }
  return ObjectResponse(request, target, response_object, 200);
}

ApiResponse ApiServerCore::DeleteCollection(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;
  auto label_selector = LabelSelector::Parse(request.Query("labelSelector").value_or(""));
  auto field_selector =
      FieldSelector::Parse(request.Query("fieldSelector").value_or(""), SupportedFieldLabels(type));
  Json list = {{"kind", type.list_kind},
               {"apiVersion", type.GroupVersion()},
               {"metadata", Json::object()},
               {"items", Json::array()}};
  {
    auto lock = store_.Lock();
    for (const auto& object : store_.ListLocked(type.storage_id, target.ns)) {
      const Json* labels = FindPath(object, {"metadata", "labels"});
      if (!label_selector.Matches(labels ? *labels : Json::object()) ||
          !field_selector.Matches(object, FieldLabelValue))
        continue;
      Target item = target;
      item.ns = MetadataString(object, "namespace");
      item.name = MetadataString(object, "name");
      Json deleted = DeleteNowLocked(item, object);
      Json view = ToServedView(deleted, type);
      view.erase("kind");
      view.erase("apiVersion");
      list["items"].push_back(view);
    }
    list["metadata"]["resourceVersion"] = std::to_string(store_.CurrentRevisionLocked());
  }
  ApiResponse response;
  response.body = EncodeWire(list);
  return response;
}

}  // namespace numalign::test_apiserver
