#include "tests/support/apiserver/protobuf_body.h"

#include <cstdint>
#include <functional>

namespace numalign::test_apiserver {
namespace {

// A protobuf message reader: calls back once per field with its number, wire type, and either the
// varint value or the length-delimited bytes.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ForEach(const std::function<bool(int, int, uint64_t, std::string_view)>& field) {
    while (pos_ < data_.size()) {
      uint64_t key;
      if (!Varint(&key)) return false;
      int number = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
      uint64_t value = 0;
      std::string_view bytes;
      switch (wire) {
        case 0:
          if (!Varint(&value)) return false;
          break;
        case 1:
          if (pos_ + 8 > data_.size()) return false;
          pos_ += 8;
          break;
        case 2: {
          uint64_t length;
          if (!Varint(&length) || length > data_.size() - pos_) return false;
          bytes = data_.substr(pos_, length);
          pos_ += length;
          break;
        }
        case 5:
          if (pos_ + 4 > data_.size()) return false;
          pos_ += 4;
          break;
        default:
          return false;
      }
      if (!field(number, wire, value, bytes)) return false;
    }
    return true;
  }

 private:
  bool Varint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

bool DecodeMapEntry(std::string_view bytes, Json& map) {
  std::string key, value;
  bool ok = Reader(bytes).ForEach([&](int number, int, uint64_t, std::string_view field) {
    if (number == 1) key = field;
    if (number == 2) value = field;
    return true;
  });
  if (ok) map[key] = value;
  return ok;
}

bool DecodeObjectMeta(std::string_view bytes, Json& metadata) {
  return Reader(bytes).ForEach([&](int number, int wire, uint64_t, std::string_view field) {
    if (wire != 2) return true;
    switch (number) {
      case 1:
        metadata["name"] = std::string(field);
        break;
      case 2:
        metadata["generateName"] = std::string(field);
        break;
      case 3:
        metadata["namespace"] = std::string(field);
        break;
      case 6:
        metadata["resourceVersion"] = std::string(field);
        break;
      case 11:
        return DecodeMapEntry(field, metadata["labels"]);
      case 12:
        return DecodeMapEntry(field, metadata["annotations"]);
      case 14:
        metadata["finalizers"].push_back(std::string(field));
        break;
      default:
        break;
    }
    return true;
  });
}

}  // namespace

bool IsProtobufContentType(const std::string& content_type) {
  return content_type.rfind("application/vnd.kubernetes.protobuf", 0) == 0;
}

std::optional<Json> DecodeProtobufObject(const std::string& body) {
  if (body.size() < 4 || body.compare(0, 4, std::string("k8s\0", 4)) != 0) return std::nullopt;
  std::string api_version, kind;
  std::string_view raw;
  bool ok = Reader(std::string_view(body).substr(4))
                .ForEach([&](int number, int wire, uint64_t, std::string_view field) {
                  if (wire != 2) return true;
                  if (number == 1) {
                    return Reader(field).ForEach([&](int n, int, uint64_t, std::string_view v) {
                      if (n == 1) api_version = v;
                      if (n == 2) kind = v;
                      return true;
                    });
                  }
                  if (number == 2) raw = field;
                  return true;
                });
  if (!ok) return std::nullopt;
  Json object = {{"apiVersion", api_version}, {"kind", kind}, {"metadata", Json::object()}};
  // Every Kubernetes object has ObjectMeta as field 1; the Namespace spec/status follow.
  ok = Reader(raw).ForEach([&](int number, int wire, uint64_t, std::string_view field) {
    if (wire != 2) return true;
    if (number == 1) return DecodeObjectMeta(field, object["metadata"]);
    if (kind == "Namespace" && number == 2)
      return Reader(field).ForEach([&](int n, int, uint64_t, std::string_view v) {
        if (n == 1) object["spec"]["finalizers"].push_back(std::string(v));
        return true;
      });
    if (kind != "Namespace") return false;  // fields of other kinds are not understood
    return true;
  });
  if (!ok) return std::nullopt;
  return object;
}

}  // namespace numalign::test_apiserver
