#pragma once

#include <stdexcept>
#include <string>

namespace numalign::extender::protocol {

// A request or reply body that does not decode into the expected wire type. The server turns
// it into a 400 whose JSON body carries the message in `Error`.
class ProtocolError : public std::runtime_error {
 public:
  explicit ProtocolError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace numalign::extender::protocol
