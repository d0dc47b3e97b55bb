# syntax=docker/dockerfile:1
# Quire in a container: a release build in a Rust image, run from a small Debian image as a
# non-root user. The clone of the content repository lives in /data (a volume, or the
# container's own disk: a replica clones again on start). Only port 8080 listens.
#
#   docker build -t quire .
#   docker run -p 8080:8080 -e QUIRE_REPO=https://github.com/you/blog.git -e QUIRE_ROOT=content quire

FROM rust:1.89-bookworm AS build
WORKDIR /src
# Dependencies first, in their own layer: rebuilt only when Cargo.toml or Cargo.lock change.
COPY Cargo.toml Cargo.lock ./
# Cargo.toml declares the criterion bench, so its file must exist; an empty one does.
RUN mkdir src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/load.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY src ./src
# Touch so cargo rebuilds the crate itself over the placeholder build above.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --bin quire \
    && cp target/release/quire /usr/local/bin/quire

FROM debian:bookworm-slim
# ca-certificates: HTTPS remotes; curl: the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin quire \
    && mkdir /data \
    && chown quire:quire /data
COPY --from=build /usr/local/bin/quire /usr/local/bin/quire
USER quire
WORKDIR /data
VOLUME /data
ENV QUIRE_LISTEN=0.0.0.0:8080 \
    QUIRE_DATA_DIR=/data \
    QUIRE_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/quire"]
CMD ["serve"]
