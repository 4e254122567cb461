// Discovery documents: legacy (/api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>), aggregated
// discovery v2 (what kubectl 1.32 asks for), /version, and the minimal /openapi/v3 documents
// kubectl create/apply consult to learn that the server validates fields itself.
#pragma once

#include <string>

#include "tests/support/apiserver/json_util.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

Json ApiVersionsDocument(const std::string& server_address);
Json ApiGroupListDocument(const ResourceRegistry& registry);
Json ApiGroupDocument(const ResourceRegistry& registry, const std::string& group);
Json ApiResourceListDocument(const ResourceRegistry& registry, const std::string& group,
                             const std::string& version);
// core: the /api document (one item without a name) or /apis (every group).
Json AggregatedDiscoveryDocument(const ResourceRegistry& registry, bool core);
// Pretty-printed, without a trailing newline, as the server sends it.
std::string VersionDocument();
Json OpenApiV3Root(const ResourceRegistry& registry);
// path: "api/v1" or "apis/<group>/<version>"; null when unknown.
Json OpenApiV3GroupVersion(const ResourceRegistry& registry, const std::string& path);
// An uppercase hex SHA-512 of the body (Etag and OpenAPI hashes).
std::string Sha512Hex(const std::string& body);

}  // namespace numalign::test_apiserver
