#pragma once

#include <memory>
#include <string>

#include "kube/transport/http_transport.h"
#include "kube/transport/tls_config.h"

namespace numalign::kube {

// The production transport on cpprestsdk. `server` is the API server URL
// ("https://10.0.0.1:6443"). Throws ConfigError when the server URL or a PEM is unusable, so a
// bad certificate is reported at startup rather than on the first request.
std::unique_ptr<HttpTransport> MakeCpprestTransport(const std::string& server,
                                                    const TlsConfig& tls);

}  // namespace numalign::kube
