#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kube/clock/clock.h"

namespace numalign::kube {

// RFC 3339 as the API writes metav1.Time: second precision, UTC, "2026-11-22T12:00:00Z".
std::string FormatTime(Clock::TimePoint t);
// metav1.MicroTime: exactly six fractional digits, which the API requires (Lease, eventTime).
std::string FormatMicroTime(Clock::TimePoint t);
// Accepts any RFC 3339 time: optional fraction, "Z" or a numeric offset. nullopt when invalid.
std::optional<Clock::TimePoint> ParseTime(std::string_view text);

}  // namespace numalign::kube
