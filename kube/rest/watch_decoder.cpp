#include "kube/rest/watch_decoder.h"

#include <algorithm>

#include "kube/errors.h"

namespace numalign::kube {

std::string_view ToString(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
    case WatchEventType::kBookmark:
      return "BOOKMARK";
    case WatchEventType::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

std::optional<WatchEventType> ParseWatchEventType(std::string_view text) {
  if (text == "ADDED") return WatchEventType::kAdded;
  if (text == "MODIFIED") return WatchEventType::kModified;
  if (text == "DELETED") return WatchEventType::kDeleted;
  if (text == "BOOKMARK") return WatchEventType::kBookmark;
  if (text == "ERROR") return WatchEventType::kError;
  return std::nullopt;
}

namespace {

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\r' || c == '\t'; });
}

std::string Excerpt(std::string_view line) {
  return std::string(line.substr(0, 200)) + (line.size() > 200 ? "..." : "");
}

}  // namespace

WatchEvent WatchDecoder::DecodeLine(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) throw DecodeError("watch event is not a JSON object: " + Excerpt(line));
  auto type = j.find("type");
  auto object = j.find("object");
  if (type == j.end() || !type->is_string() || object == j.end() || !object->is_object()) {
    throw DecodeError("watch event lacks type or object: " + Excerpt(line));
  }
  auto parsed = ParseWatchEventType(type->get<std::string>());
  if (!parsed) throw DecodeError("unknown watch event type " + type->get<std::string>());
  return WatchEvent{*parsed, std::move(*object)};
}

std::vector<WatchEvent> WatchDecoder::Feed(std::string_view bytes) {
  std::vector<WatchEvent> out;
  pending_.append(bytes);
  std::size_t start = 0;
  for (std::size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(pending_.data() + start, nl - start);
    if (!IsBlank(line)) out.push_back(DecodeLine(line));
  }
  pending_.erase(0, start);
  return out;
}

std::vector<WatchEvent> WatchDecoder::Finish() {
  std::vector<WatchEvent> out;
  if (!IsBlank(pending_)) out.push_back(DecodeLine(pending_));
  pending_.clear();
  return out;
}

}  // namespace numalign::kube
