#include "kube/rest/client_factory.h"

#include "kube/transport/cpprest_transport.h"

namespace numalign::kube {

std::shared_ptr<RestClient> MakeApiClient(const RestConfig& config, const ClientOptions& options,
                                          std::shared_ptr<Clock> clock) {
  std::shared_ptr<HttpTransport> transport = MakeCpprestTransport(config.server, config.tls);
  return std::make_shared<RestClient>(std::move(transport), config.credentials, options,
                                      std::move(clock));
}

}  // namespace numalign::kube
