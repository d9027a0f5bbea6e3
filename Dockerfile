# One image for the three apps: the workspace is built once and each service picks its entry point.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
COPY tools tools
COPY nx.json tsconfig.base.json tsconfig.json jest.preset.cjs eslint.config.mjs ./
RUN npm ci --no-audit --no-fund && NX_DAEMON=false npx nx run-many -t build --projects='apps/*'

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
ENTRYPOINT ["node"]
