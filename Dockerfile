# bedrock-emulator container image.
#
#   docker build -t bedrock-emulator .
#   docker run --rm -p 8080:8080 bedrock-emulator
#   docker run --rm -p 8080:8080 -v "$PWD/cassettes:/data" bedrock-emulator
#
# The final image is FROM scratch: the static binary at /bedrock-emulator, CA
# certificates (the recorder reaches real Bedrock over TLS), the shipped fixture
# examples under /fixtures/examples, an empty writable /tmp, and a /data volume for
# your scripts and cassettes. It runs as the numeric non-root user 65532:65532; a
# bind-mounted /data must be readable (and, to record, writable) by that user, or
# run with --user "$(id -u):$(id -g)".
#
# Flags are set by environment (BEDROCK_EMULATOR_<FLAG>, e.g. -e
# BEDROCK_EMULATOR_LOG_LEVEL=debug) or by arguments after the image name, which
# replace CMD: keep "serve --addr 0.0.0.0:PORT" there, and for a PORT other than
# 8080 also set BEDROCK_EMULATOR_URL=http://127.0.0.1:PORT for the health check.
#
# Build arguments:
#   GO_IMAGE  the Go builder image (any image with the go command, /bin/sh and
#             /etc/ssl/certs/ca-certificates.crt); scripts/image-test.sh swaps in
#             one made from the local toolchain.
#   VERSION   stamped into the binary (main.version) and the image labels.
#   REVISION  the source revision, for the image labels.

ARG GO_IMAGE=golang:1.26

# The builder runs on the build platform and cross-compiles for the target, so a
# multi-platform build (docker buildx --platform linux/amd64,linux/arm64) needs no
# emulation.
FROM --platform=${BUILDPLATFORM} ${GO_IMAGE} AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
# Modules first, so this layer is cached until go.mod or go.sum change.
COPY go.mod go.sum* ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -buildvcs=false \
        -ldflags "-s -w -X main.version=${VERSION}" \
        -o /rootfs/bedrock-emulator ./cmd/bedrock-emulator
# Everything the final image holds but the /data volume, laid out as its root.
RUN set -e; \
    mkdir -p /rootfs/etc/ssl/certs /rootfs/fixtures/examples /rootfs/tmp /rootfs-data; \
    cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    if [ -d fixtures/examples ]; then cp -R fixtures/examples/. /rootfs/fixtures/examples/; fi; \
    chmod 1777 /rootfs/tmp; \
    echo 'root:x:0:0:root:/root:/sbin/nologin' >/rootfs/etc/passwd; \
    echo 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin' >>/rootfs/etc/passwd; \
    echo 'root:x:0:' >/rootfs/etc/group; \
    echo 'nonroot:x:65532:' >>/rootfs/etc/group

FROM scratch
ARG VERSION=dev
ARG REVISION=
LABEL org.opencontainers.image.title="bedrock-emulator" \
      org.opencontainers.image.description="Local, offline emulator of the Amazon Bedrock Runtime Converse and ConverseStream APIs" \
      org.opencontainers.image.source="https://github.com/bedrock-emulator/bedrock-emulator" \
      org.opencontainers.image.url="https://github.com/bedrock-emulator/bedrock-emulator" \
      org.opencontainers.image.documentation="https://github.com/bedrock-emulator/bedrock-emulator#readme" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /rootfs/ /
# /data does not exist yet, so COPY --chown creates it owned by the runtime user.
COPY --from=build --chown=65532:65532 /rootfs-data/ /data/
VOLUME ["/data"]
WORKDIR /data
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/bedrock-emulator", "health"]
ENTRYPOINT ["/bedrock-emulator"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
