#include "tests/support/apiserver/api_core.h"

#include <thread>

#include "tests/support/apiserver/api_core_internal.h"
#include "tests/support/apiserver/discovery.h"
#include "tests/support/apiserver/wire_format.h"

namespace numalign::test_apiserver {
namespace {

ApiResponse JsonResponse(int status, const Json& body) {
  ApiResponse response;
  response.status = status;
  response.body = EncodeWire(body);
  return response;
}

ApiResponse ErrorResponse(const ApiError& error) {
  ApiResponse response;
  response.status = error.code();
  // The 406 Status is pretty-printed by the server, without a trailing newline.
  response.body = error.code() == 406 ? error.status().dump(2) : EncodeWire(error.status());
  for (const auto& header : error.headers()) {
    size_t colon = header.find(':');
    response.headers.emplace_back(header.substr(0, colon), header.substr(colon + 2));
  }
  if (error.code() == 401) response.standard_headers = false;
  return response;
}

ApiResponse PlainNotFound() {
  ApiResponse response;
  response.status = 404;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "404 page not found\n";
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? slash : slash - start);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool IsTrue(const std::optional<std::string>& value) {
  return value && (*value == "1" || *value == "true" || *value == "True");
}

}  // namespace

Json SuccessStatus(const Json* details, int code) {
  Json status = {{"kind", "Status"},
                 {"apiVersion", "v1"},
                 {"metadata", Json::object()},
                 {"status", "Success"}};
  if (details) status["details"] = *details;
  if (code) status["code"] = code;
  return status;
}

bool WantsTable(const ApiRequest& request) {
  std::string accept = request.Header("accept");
  if (accept.empty()) return false;
  bool acceptable = false, table = false;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    std::string item = accept.substr(start, comma == std::string::npos ? comma : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    std::string media = item.substr(0, item.find(';'));
    bool is_table = item.find("as=Table") != std::string::npos &&
                    item.find("g=meta.k8s.io") != std::string::npos;
    bool other_as = item.find("as=") != std::string::npos && !is_table;
    if ((media == "application/json" || media == "*/*" || media == "application/*" ||
         media == "application/yaml") &&
        !other_as) {
      acceptable = true;
      if (is_table && item.find("v=v1") != std::string::npos) table = true;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!acceptable) throw NotAcceptable();
  return table;
}

std::string UserAgentManager(const ApiRequest& request) {
  std::string agent = request.Header("user-agent");
  std::string manager = agent.substr(0, agent.find('/'));
  return manager.empty() ? "unknown" : manager;
}

std::string MetadataString(const Json& object, const char* key) {
  const Json* metadata = Find(object, "metadata");
  return metadata ? GetString(*metadata, key) : std::string();
}

ApiServerCore::ApiServerCore(CoreOptions options)
    : options_(std::move(options)),
      store_(options_.history_size),
      flowschema_uid_(NewUuid()),
      prioritylevel_uid_(NewUuid()) {
  // The namespaces every cluster starts with.
  auto lock = store_.Lock();
  auto namespaces = registry_.Find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    Json ns = {{"kind", "Namespace"},
               {"apiVersion", "v1"},
               {"metadata",
                {{"name", name},
                 {"uid", NewUuid()},
                 {"creationTimestamp", NowTime()},
                 {"labels", {{"kubernetes.io/metadata.name", name}}}}},
               {"spec", {{"finalizers", Json::array({"kubernetes"})}}},
               {"status", {{"phase", "Active"}}}};
    store_.PutLocked(namespaces->storage_id, "", name, ns);
  }
}

ApiServerCore::~ApiServerCore() {
  Shutdown();
}

void ApiServerCore::Shutdown() {
  shutting_down_ = true;
  store_.CloseAllWatchers();
}

ApiResponse ApiServerCore::Handle(const ApiRequest& request) {
  ApiResponse response;
  try {
    response = Route(request);
  } catch (const ApiError& error) {
    response = ErrorResponse(error);
  } catch (const std::exception& error) {
    response = ErrorResponse(InternalError(error.what()));
  }
  if (response.standard_headers) {
    response.headers.insert(response.headers.begin(),
                            {{"X-Kubernetes-Pf-Flowschema-Uid", flowschema_uid_},
                             {"X-Kubernetes-Pf-Prioritylevel-Uid", prioritylevel_uid_}});
  }
  response.headers.insert(response.headers.begin(), {"Audit-Id", NewUuid()});
  return response;
}

void ApiServerCore::Authorize(const ApiRequest& request, const Target* target,
                              const std::string& verb) {
  if (options_.bearer_token.empty()) return;
  std::string authorization = request.Header("authorization");
  if (authorization.empty()) {
    // Anonymous requests are system:anonymous; only public info (/version, health) is allowed.
    const std::string user = "User \"system:anonymous\"";
    if (!target) {
      if (request.path == "/version" || request.path == "/healthz" || request.path == "/livez" ||
          request.path == "/readyz")
        return;
      throw Forbidden("forbidden: " + user + " cannot " +
                          (request.method == "GET" ? std::string("get") : verb) + " path \"" +
                          request.path + "\"",
                      {});
    }
    const ResourceType& type = *target->type;
    std::string resource = target->subresource.empty() || target->subresource == "status"
                               ? type.plural
                               : type.plural + "/" + target->subresource;
    if (target->subresource == "status") resource = type.plural + "/status";
    std::string scope =
        target->ns.empty() ? " at the cluster scope" : " in the namespace \"" + target->ns + "\"";
    std::string subject = type.QualifiedResource();
    if (!target->name.empty()) subject += " \"" + target->name + "\"";
    throw Forbidden(subject + " is forbidden: " + user + " cannot " + verb + " resource \"" +
                        resource + "\" in API group \"" + type.group + "\"" + scope,
                    {target->name, type.group, type.plural});
  }
  if (authorization != "Bearer " + options_.bearer_token) throw Unauthorized();
}

ApiResponse ApiServerCore::HandleTesting(const ApiRequest& request) {
  // Test-only controls, so out-of-process tests can trigger the same faults as in-process ones.
  if (request.method != "POST" && request.method != "DELETE") throw MethodNotAllowed("POST only");
  if (request.path == "/__testing/faults") {
    if (request.method == "DELETE") {
      faults_.Clear();
    } else {
      std::string error;
      auto body = ParseJson(request.body, &error);
      if (!body || !body->is_object()) throw BadRequest("fault spec: " + error);
      faults_.Add(FaultSpec::FromJson(*body));
    }
  } else if (request.path == "/__testing/drop-watches") {
    DropAllWatches();
  } else if (request.path == "/__testing/compact") {
    CompactHistory();
  } else {
    throw GenericNotFound();
  }
  return JsonResponse(200, SuccessStatus(nullptr, 200));
}

ApiResponse ApiServerCore::HandleDiscovery(const ApiRequest& request, bool* handled) {
  *handled = true;
  const std::string& path = request.path;
  auto parts = Split(path);
  std::string accept = request.Header("accept");
  bool aggregated = accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
                    accept.find("g=apidiscovery.k8s.io") != std::string::npos &&
                    accept.find("v=v2") != std::string::npos;
  auto respond_aggregated = [&](const Json& document) {
    ApiResponse response;
    response.body = EncodeWire(document);
    std::string etag = "\"" + Sha512Hex(response.body) + "\"";
    response.content_type = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    response.headers = {{"Cache-Control", "public"},
                        {"Etag", etag},
                        {"Vary", "Accept"},
                        {"X-Varied-Accept", accept}};
    response.standard_headers = false;
    if (request.Header("if-none-match") == etag) {
      response.status = 304;
      response.body.clear();
      response.content_type.clear();
    }
    return response;
  };
  if (path == "/version" || path == "/version/") {
    Authorize(request, nullptr, "get");
    ApiResponse response;
    response.body = VersionDocument();
    return response;
  }
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    Authorize(request, nullptr, "get");
    ApiResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "ok";
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return response;
  }
  if (path == "/api" || path == "/api/") {
    Authorize(request, nullptr, "get");
    if (aggregated) {
      auto response = respond_aggregated(AggregatedDiscoveryDocument(registry_, true));
      return response;
    }
    return JsonResponse(200, ApiVersionsDocument(options_.server_address));
  }
  if (path == "/apis" || path == "/apis/") {
    Authorize(request, nullptr, "get");
    if (aggregated) return respond_aggregated(AggregatedDiscoveryDocument(registry_, false));
    return JsonResponse(200, ApiGroupListDocument(registry_));
  }
  if (parts.size() == 2 && parts[0] == "api") {
    Authorize(request, nullptr, "get");
    if (parts[1] != "v1") throw GenericNotFound();
    return JsonResponse(200, ApiResourceListDocument(registry_, "", "v1"));
  }
  if (parts.size() == 2 && parts[0] == "apis") {
    Authorize(request, nullptr, "get");
    Json group = ApiGroupDocument(registry_, parts[1]);
    if (group.is_null()) return PlainNotFound();
    return JsonResponse(200, group);
  }
  if (parts.size() == 3 && parts[0] == "apis") {
    Authorize(request, nullptr, "get");
    if (!registry_.HasGroupVersion(parts[1], parts[2])) return PlainNotFound();
    return JsonResponse(200, ApiResourceListDocument(registry_, parts[1], parts[2]));
  }
  if (path == "/openapi/v3" || path == "/openapi/v3/") {
    Authorize(request, nullptr, "get");
    return JsonResponse(200, OpenApiV3Root(registry_));
  }
  if (path.rfind("/openapi/v3/", 0) == 0) {
    Authorize(request, nullptr, "get");
    Json document = OpenApiV3GroupVersion(registry_, path.substr(12));
    if (document.is_null()) return PlainNotFound();
    return JsonResponse(200, document);
  }
  *handled = false;
  return {};
}

ApiResponse ApiServerCore::Route(const ApiRequest& request) {
  if (request.path.rfind("/__testing/", 0) == 0) return HandleTesting(request);
  if (auto fault = faults_.Take(request.method, request.path)) {
    if (fault->latency.count() > 0) std::this_thread::sleep_for(fault->latency);
    if (fault->status == 429)
      throw TooManyRequests("Too many requests, please try again later.",
                            fault->retry_after_seconds);
    if (fault->status >= 400) {
      Json error_status = FailureStatus(
          fault->status, fault->status == 503 ? "ServiceUnavailable" : "InternalError",
          "Internal error occurred: injected fault", nullptr);
      throw ApiError(fault->status, error_status);
    }
  }
  bool handled = false;
  ApiResponse discovery = HandleDiscovery(request, &handled);
  if (handled) return discovery;

  auto parts = Split(request.path);
  std::string group, version;
  size_t index;
  if (parts.size() >= 3 && parts[0] == "api" && parts[1] == "v1") {
    version = "v1";
    index = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    group = parts[1];
    version = parts[2];
    index = 3;
    if (!registry_.HasGroupVersion(group, version)) {
      Authorize(request, nullptr, "get");
      return PlainNotFound();
    }
  } else if (parts.size() >= 1 && (parts[0] == "api" || parts[0] == "apis")) {
    Authorize(request, nullptr, "get");
    throw GenericNotFound();
  } else {
    Authorize(request, nullptr, "get");
    return PlainNotFound();
  }
  std::vector<std::string> rest(parts.begin() + static_cast<long>(index), parts.end());
  bool watch_path = false;
  if (!rest.empty() && rest[0] == "watch") {
    watch_path = true;
    rest.erase(rest.begin());
  }

  Target target;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    auto type = registry_.Find(group, version, rest[2]);
    if (type && type->namespaced) {
      target.type = type;
      target.ns = rest[1];
      if (rest.size() >= 4) target.name = rest[3];
      if (rest.size() >= 5) target.subresource = rest[4];
      if (rest.size() > 5) throw GenericNotFound();
    } else if (rest.size() == 3 && group.empty()) {
      target.type = registry_.Find("", "v1", "namespaces");
      target.name = rest[1];
      target.subresource = rest[2];
    } else {
      Authorize(request, nullptr, "get");
      throw GenericNotFound();
    }
  } else if (!rest.empty()) {
    target.type = registry_.Find(group, version, rest[0]);
    if (!target.type) {
      Authorize(request, nullptr, "get");
      throw GenericNotFound();
    }
    if (rest.size() >= 2) target.name = rest[1];
    if (rest.size() >= 3) target.subresource = rest[2];
    if (rest.size() > 3) throw GenericNotFound();
    if (target.type->namespaced && !target.name.empty()) throw GenericNotFound();
  }
  if (!target.type) throw GenericNotFound();
  const ResourceType& type = *target.type;
  if (type.plural == "bindings") {
    target.legacy_bindings = true;
    target.type = registry_.Find("", "v1", "pods");
    if (request.method != "POST" || !target.name.empty()) throw MethodNotAllowed("create only");
    Authorize(request, &target, "create");
    return Bind(request, target);
  }
  if (!target.subresource.empty() && !type.FindSubresource(target.subresource))
    throw GenericNotFound();

  bool watch = watch_path || IsTrue(request.Query("watch"));
  const std::string& method = request.method;
  if (method == "GET") {
    if (target.name.empty()) {
      Authorize(request, &target, watch ? "watch" : "list");
      return watch ? Watch(request, target) : List(request, target);
    }
    Authorize(request, &target, "get");
    return Get(request, target);
  }
  if (method == "POST") {
    Authorize(request, &target, "create");
    if (target.subresource == "binding") return Bind(request, target);
    if (target.subresource == "eviction") return Evict(request, target);
    if (!target.name.empty()) throw MethodNotAllowed("POST is not supported on an object");
    return Create(request, target);
  }
  if (method == "PUT") {
    Authorize(request, &target, "update");
    if (target.name.empty()) throw MethodNotAllowed("PUT needs a name");
    return Update(request, target);
  }
  if (method == "PATCH") {
    Authorize(request, &target, "patch");
    if (target.name.empty()) throw MethodNotAllowed("PATCH needs a name");
    return Patch(request, target);
  }
  if (method == "DELETE") {
    if (target.name.empty()) {
      Authorize(request, &target, "deletecollection");
      return DeleteCollection(request, target);
    }
    Authorize(request, &target, "delete");
    return Delete(request, target);
  }
  throw MethodNotAllowed("the server does not allow this method on the requested resource");
}

}  // namespace numalign::test_apiserver
