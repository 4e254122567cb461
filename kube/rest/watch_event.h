#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::kube {

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

std::string_view ToString(WatchEventType type);
std::optional<WatchEventType> ParseWatchEventType(std::string_view text);

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  // The object; for kError a metav1.Status (see ApiError::FromStatusJson).
  nlohmann::json object;
};

// A running watch. Next() blocks for the next event and returns nullopt when the server ended
// the stream (timeoutSeconds) or Stop() was called. It throws TransportError when the connection
// broke and DecodeError when the server sent something that is not a watch event; in both cases
// the caller re-watches from the last resourceVersion it saw.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  virtual std::optional<WatchEvent> Next() = 0;
  // Thread-safe; makes a blocked Next() return nullopt.
  virtual void Stop() = 0;
};

}  // namespace numalign::kube
