// Package deploy holds no code. Its tests check the deployment files at the
// repository root (Dockerfile, .dockerignore, docker-compose.yml,
// .env.example and .github/workflows/ci.yml) against each other and against
// the loader's source: .ci/run has no Docker engine to run them, so a
// compose file that sets a variable nothing reads, or a Dockerfile that
// builds a dynamically linked loader, must fail here.
package deploy
