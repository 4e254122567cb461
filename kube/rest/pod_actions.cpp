#include "kube/rest/pod_actions.h"

namespace numalign::kube {

void BindPod(ApiClient& client, std::string_view ns, std::string_view pod, std::string_view node,
             std::string_view pod_uid) {
  Json metadata = {{"name", pod}, {"namespace", ns}};
  if (!pod_uid.empty()) metadata["uid"] = pod_uid;
  const Json binding = {{"apiVersion", "v1"},
                        {"kind", "Binding"},
                        {"metadata", metadata},
                        {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
  client.CreateSubresource(resources::Pods(), ns, pod, "binding", binding);
}

void EvictPod(ApiClient& client, std::string_view ns, std::string_view pod,
              const DeleteOptions& options) {
  Json eviction = {{"apiVersion", "policy/v1"},
                   {"kind", "Eviction"},
                   {"metadata", {{"name", pod}, {"namespace", ns}}}};
  Json delete_options = Json::object();
  if (options.grace_period_seconds) {
    delete_options["gracePeriodSeconds"] = *options.grace_period_seconds;
  }
  if (options.precondition_uid) delete_options["preconditions"]["uid"] = *options.precondition_uid;
  if (options.precondition_resource_version) {
    delete_options["preconditions"]["resourceVersion"] = *options.precondition_resource_version;
  }
  if (options.propagation_policy) delete_options["propagationPolicy"] = *options.propagation_policy;
  if (options.dry_run) delete_options["dryRun"] = Json::array({"All"});
  if (!delete_options.empty()) eviction["deleteOptions"] = delete_options;
  client.CreateSubresource(resources::Pods(), ns, pod, "eviction", eviction);
}

Json UpdateStatus(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                  const Json& object) {
  return client.Update(r, ns, object, {}, "status");
}

Json PatchStatus(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                 std::string_view name, const Json& merge_patch) {
  return client.Patch(r, ns, name, PatchType::kMerge, merge_patch, {}, "status");
}

}  // namespace numalign::kube
