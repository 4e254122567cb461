#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kube/rest/watch_event.h"

namespace numalign::kube {

// Splits a watch body into events. The API sends one JSON object per line; over HTTP/1.1 one
// chunk usually holds one line, but nothing guarantees it, so bytes are buffered until '\n'.
class WatchDecoder {
 public:
  // Appends bytes; returns the events completed by them. Throws DecodeError on a line that is
  // not a watch event (the stream is then unusable).
  std::vector<WatchEvent> Feed(std::string_view bytes);
  // Whatever is left at the end of the body; a final line without '\n' still counts.
  std::vector<WatchEvent> Finish();
  bool has_partial_line() const { return !pending_.empty(); }

  static WatchEvent DecodeLine(std::string_view line);

 private:
  std::string pending_;
};

}  // namespace numalign::kube
