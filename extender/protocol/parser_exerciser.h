#pragma once

#include <string_view>

namespace numalign::extender::protocol {

// Feeds one input to every request parser (and the reply writers on success), as the server
// would. Returns how many parsers accepted it. ProtocolError is the only clean rejection: any
// other exception escapes, which is what the fuzz target and the corpus replay test detect.
int exercise_request_parsers(std::string_view input);

}  // namespace numalign::extender::protocol
