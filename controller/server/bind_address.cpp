#include "controller/server/bind_address.h"

#include <charconv>
#include <stdexcept>

namespace numalign::controller {

std::optional<HostPort> ParseBindAddress(const std::string& value) {
  if (value.empty() || value == "0") return std::nullopt;
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("bind address \"" + value + "\": " + why);
  };
  const auto colon = value.rfind(':');
  if (colon == std::string::npos) throw bad("want host:port or :port");
  std::string host = value.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw bad("an IPv6 host needs brackets");
  }
  if (host.empty()) host = "0.0.0.0";
  const std::string port_text = value.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    throw bad("port must be 0..65535");
  }
  return HostPort{host, static_cast<unsigned short>(port)};
}

}  // namespace numalign::controller
