# The loader as a container image: a static binary on an empty base, run as
# an unprivileged user. The migrations, functions, views, contracts and
# checks are embedded in the binary (db/embed.go), so nothing else is copied.
#
#   docker build -t spacex-elt-loader .
#   docker run --rm -e DATABASE_URL spacex-elt-loader migrate
#
# internal/deploy's tests parse this file: keep the golang tag equal to
# go.mod's go version, CGO_ENABLED=0 on the go build line and a non-root USER
# in the final stage.

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first, so that a source change reuses the downloaded modules.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/loader ./cmd/loader

# scratch holds nothing but what is copied: the CA bundle for the HTTPS API
# and the database's TLS, and the binary. 65532 is the conventional
# "nonroot" uid/gid; it owns no file, the loader writes none.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/loader /loader
USER 65532:65532
ENTRYPOINT ["/loader"]
CMD ["sync"]
