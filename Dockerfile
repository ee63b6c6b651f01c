# The member portal and its reference API server as one image.
#
#   docker build -t union-portal .            (or: podman build -t union-portal .)
#   docker run -p 8080:8080 --env-file portal.env union-portal
#
# Stage 1 builds the portal bundle (`cargo xtask build`: wasm, wasm-bindgen, wasm-opt,
# esbuild; the bootstrap installs the wasm target, wasm-bindgen-cli and the npm tools) and the
# release server. Stage 2 is a slim Debian with only the binary, dist/ and CA certificates,
# running as an unprivileged user.

# ---- builder ----
FROM docker.io/library/rust:1.95-slim-bookworm AS builder
# npm for wasm-opt and esbuild (installed by the bootstrap into tools/), pkg-config and a C
# compiler for the few crates with native code.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates pkg-config build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo xtask build \
 && cargo build --release --locked -p server \
 && strip target/release/server

# ---- runtime ----
FROM docker.io/library/debian:bookworm-slim
# CA certificates: the server calls the SMS provider and WeChat over HTTPS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/portal --create-home portal
COPY --from=builder /src/target/release/server /usr/local/bin/server
COPY --from=builder /src/dist /opt/portal/dist
USER portal
WORKDIR /var/lib/portal
ENV PORTAL_HOST=0.0.0.0 \
    PORTAL_PORT=8080 \
    PORTAL_DIST_DIR=/opt/portal/dist \
    PORTAL_DATA_DIR=/var/lib/portal/data \
    PORTAL_LOG_FORMAT=json
EXPOSE 8080
# The embedded SQLite database and its documents live here unless DATABASE_URL points at
# PostgreSQL; mount a volume to keep them.
VOLUME ["/var/lib/portal/data"]
# SIGTERM (what `docker stop` and Kubernetes send) stops the server gracefully within
# --shutdown-grace-seconds (default 30); give the platform a longer stop timeout than that.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["serve"]
