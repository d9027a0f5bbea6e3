# One image for the apps: the workspace is built once and each service picks its entry point.
# CI builds the first stage's inputs the same way without Docker (tools/docker/docker-install-check.sh reads this file's
# COPY and RUN lines), so keep that stage to COPY, WORKDIR, ENV and shell-form RUN lines.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
COPY tools tools
COPY nx.json tsconfig.base.json tsconfig.json jest.preset.cjs eslint.config.mjs ./
# Installs (npm install, not npm ci: see the script), builds the apps and prunes dev dependencies.
RUN sh tools/docker/install-and-build.sh

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# The embedded defaults (PGlite, file topic log) write under DATA_DIR=.data; the apps run as `node`, not root.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
# /healthz of the subscriber's ops server (PORT, OPS_HOST); the other apps serve nothing and are healthy while they run.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "tools/docker/healthcheck.mjs"]
ENTRYPOINT ["node"]
