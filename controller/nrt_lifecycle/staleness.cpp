#include "controller/nrt_lifecycle/staleness.h"

#include "controller/nrt_lifecycle/stale_attributes.h"
#include "kube/clock/time_format.h"

namespace numalign::controller {

bool IsMarkedStale(const kube::NodeResourceTopology& nrt) {
  return nrt.Attribute(kStaleAttribute).value_or("") == "true";
}

std::string FormatDuration(std::chrono::milliseconds d) {
  using namespace std::chrono;
  auto total = duration_cast<seconds>(d).count();
  std::string out;
  if (total >= 3600) out += std::to_string(total / 3600) + "h";
  if (total >= 60) out += std::to_string((total % 3600) / 60) + "m";
  out += std::to_string(total % 60) + "s";
  return out;
}

StalenessDecision DecideStaleness(const kube::NodeResourceTopology& nrt, kube::Clock::TimePoint now,
                                  std::chrono::milliseconds stale_after) {
  const bool marked = IsMarkedStale(nrt);
  if (!nrt.Attribute(kPinningModeAttribute)) {
    // Not the agent's: another producer has no heartbeat to miss. A mark left by an older
    // controller would make the extender reject the node, so it is taken back.
    return {marked ? StaleAction::kClear : StaleAction::kNone, ""};
  }
  const auto text = nrt.Attribute(kHeartbeatAttribute);
  const auto heartbeat = text ? kube::ParseTime(*text) : std::nullopt;
  std::string reason;
  if (!text) {
    reason = "no " + std::string(kHeartbeatAttribute) + " attribute";
  } else if (!heartbeat) {
    reason = "unreadable heartbeat \"" + text->substr(0, 64) + "\"";
  } else {
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - *heartbeat);
    if (age <= stale_after) {
      return {marked ? StaleAction::kClear : StaleAction::kNone, ""};
    }
    reason = "heartbeat " + *text + " is " + FormatDuration(age) + " old (limit " +
             FormatDuration(stale_after) + ")";
  }
  return {marked ? StaleAction::kNone : StaleAction::kMark, reason};
}

}  // namespace numalign::controller
