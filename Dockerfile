# numalign image: numalign-agent, numalign-extender and numalign-controller on Debian bookworm.
# Needs BuildKit (the default builder since Docker 23) for the heredoc below.
#
#   docker build -t ghcr.io/numalign/numalign:0.1.0 .
#
# The chart runs the extender and the controller as 65532:65532 (set in the pod spec and here),
# and the agent as root with every capability dropped (it writes other pods' cpuset files).

ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS build
# scripts/install-deps.sh installs the Debian -dev packages (the single list of build dependencies).
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG BUILD_JOBS=2
# Builds the three programs, then records the Debian packages providing the shared libraries they
# load (runtime-packages.txt documents the runtime list below; the runtime stage checks ldd).
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DNUMALIGN_BUILD_TESTS=OFF -DNUMALIGN_BUILD_BENCH=OFF \
 && cmake --build /build -j "${BUILD_JOBS}" \
      --target numalign-agent numalign-extender numalign-controller \
 && mkdir -p /out \
 && for b in numalign-agent numalign-extender numalign-controller; do \
      install -m 0755 "$(find /build -type f -name "$b" -perm -u+x | head -n1)" /out/; \
    done \
 && strip /out/numalign-* \
 && for b in /out/numalign-*; do ldd "$b"; done | awk '/=>/ {print $3}' | sort -u \
      | xargs -r -n1 readlink -f | xargs -r dpkg -S 2>/dev/null | cut -d: -f1 | sort -u \
      > /out/runtime-packages.txt

FROM ${DEBIAN_IMAGE} AS runtime
# Runtime libraries of the three binaries (from `ldd` + `dpkg -S` on them; the build stage writes
# the list it found to /usr/share/numalign/runtime-packages.txt):
#   libstdc++6, libgcc-s1, libc6     all (in the base image)
#   libboost-program-options1.74.0   all (flags)
#   libspdlog1.10, libfmt9           all (logging)
#   libssl3                          all (TLS to the API server, extender HTTPS)
#   libcpprest2.10                   agent, controller (kube/ REST client)
#   libyaml-cpp0.7                   agent (kubelet config file), kube/ (kubeconfig)
#   libhwloc15                       agent (topology discovery)
#   libgrpc++1.51, libprotobuf32     agent (kubelet podresources API)
#   libabsl20220623                  extender (flat hash map of nodes); also a grpc dependency
#   zlib1g                           cpprest, grpc
#   ca-certificates                  in-cluster API server CA is mounted, but kubeconfigs may use system roots
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-program-options1.74.0 libspdlog1.10 libfmt9 libssl3 libcpprest2.10 \
      libyaml-cpp0.7 libhwloc15 libgrpc++1.51 libprotobuf32 libabsl20220623 zlib1g \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/numalign-agent /out/numalign-extender /out/numalign-controller /usr/local/bin/
COPY --from=build /out/runtime-packages.txt /usr/share/numalign/runtime-packages.txt
# Probe for servers bound to 127.0.0.1 (the extender sidecar), which httpGet probes cannot reach.
COPY <<'EOF' /usr/local/bin/numalign-probe
#!/bin/bash
# numalign-probe PORT PATH [TLS]: exit 0 when 127.0.0.1:PORT answers GET PATH with 200 (plain
# HTTP), or accepts a TCP connection (TLS=true).
port="${1:?port}" path="${2:?path}" tls="${3:-false}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
[[ "$tls" == true ]] && exit 0
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" =~ ^HTTP/1\.[01]\ 200 ]]
EOF
RUN chmod 0755 /usr/local/bin/numalign-probe \
 && missing="$(ldd /usr/local/bin/numalign-* | grep 'not found' || true)" \
 && if [ -n "$missing" ]; then echo "runtime libraries missing:"; echo "$missing"; exit 1; fi \
 && mkdir -p /var/lib/numalign
# Default user for the extender and controller; the agent's pod spec sets runAsUser: 0.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/numalign-extender"]
