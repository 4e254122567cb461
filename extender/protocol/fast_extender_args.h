#pragma once

#include <optional>
#include <string_view>

#include "extender/protocol/request_parser.h"
#include "extender/protocol/types.h"

namespace numalign::extender::protocol {

// A fast path for the common filter/prioritize body: {"Pod":{...},"Nodes":null,"NodeNames":[
// plain ASCII names ]} with the keys in any case. The node names are read straight from the
// bytes instead of becoming JSON values first (5,000 names per call), and only the Pod is
// parsed as a tree. It is accept-only: anything it does not recognise with certainty (escapes,
// non-ASCII names, node objects, unknown keys, any error) yields nullopt and the caller uses
// the full parser, which also produces the error message. When it returns a value, that value
// equals what parse_extender_args' full parser returns (the fuzz target checks this).
std::optional<ExtenderArgs> try_parse_extender_args_fast(std::string_view body,
                                                         const RequestLimits& limits);

}  // namespace numalign::extender::protocol
