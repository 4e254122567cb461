#pragma once

#include <stdexcept>
#include <string>

namespace numalign::kube {

// Base of every exception kube/ throws, so a program's boundary can catch them all with one
// clause and print a message that already says what failed.
class KubeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Invalid or unreadable client configuration (kubeconfig, in-cluster files, exec plugins).
class ConfigError : public KubeError {
 public:
  using KubeError::KubeError;
};

// The request never produced an HTTP response: DNS, connect, TLS, reset, timeout.
class TransportError : public KubeError {
 public:
  using KubeError::KubeError;
};

// The server answered, but with bytes that are not what the API promises (bad JSON, wrong shape).
class DecodeError : public KubeError {
 public:
  using KubeError::KubeError;
};

// The operation was abandoned because the caller asked to stop.
class CancelledError : public KubeError {
 public:
  using KubeError::KubeError;
};

}  // namespace numalign::kube
