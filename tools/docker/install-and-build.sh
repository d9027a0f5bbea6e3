#!/bin/sh
# The image's install, build and prune steps in one place: the Dockerfile RUNs this and CI's docker-install-check.sh runs the Dockerfile's RUN lines, so they cannot drift.
set -eu

# `npm install`, not `npm ci`: the committed lockfile lists only the Linux x64 builds of optional native packages (the
# registry this project is developed against serves no others), and `npm ci` refuses a lockfile that lacks any. `npm install`
# keeps every version the lockfile pins and adds only what is missing, in the image's copy of the lockfile.
npm install --no-audit --no-fund

# Every app but the `npm start` one (apps/pipeline): its library imports playwright-core, a dev dependency pruned below,
# for the report check, and it is a local demo rather than a service.
NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects='apps/*' --exclude=@fraudline/pipeline-app --output-style=static

# Dev dependencies (compilers, test tools, linters) are not needed to run the built apps; neither is Nx's cache.
npm prune --omit=dev --no-audit --no-fund
rm -rf .nx
