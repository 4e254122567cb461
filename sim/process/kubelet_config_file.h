#pragma once

#include <string>

#include "numa/admission/kubelet_config.h"

namespace numalign::sim::process {

// A simulated node's kubelet NUMA configuration as a KubeletConfiguration document (the file
// numalign-agent reads with --kubelet-config, in the kubelet's field names). JSON text, which is
// YAML too. Parsing it back with numa::ParseKubeletConfigYaml gives `config` again.
std::string KubeletConfigurationDocument(const numa::KubeletNumaConfig& config);

}  // namespace numalign::sim::process
