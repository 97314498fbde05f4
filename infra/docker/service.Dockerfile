# One image per service, built from the workspace (docker-compose.yml passes SERVICE_DIR):
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE_DIR=services/intake .
# Stage 1 installs the workspace with its lockfile; stage 2 carries only what runs, as a non-root user.
FROM node:24-slim AS deps
WORKDIR /app
RUN corepack enable && corepack prepare pnpm@10.34.8 --activate
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY gateway ./gateway
RUN pnpm install --frozen-lockfile
# the dashboard's static files the gateway serves at /dashboard (built here, not committed; under a second)
RUN pnpm --filter @lapor/dashboard build

FROM node:24-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps --chown=node:node /app /app
ARG SERVICE_DIR
ENV SERVICE_DIR=${SERVICE_DIR}
# the epoch key folder (a volume): made here so the volume is the node user's, mode 0700
RUN install -d -o node -g node -m 0700 /var/lib/lapor/keys
USER node
CMD ["sh", "-c", "cd \"$SERVICE_DIR\" && exec node --import tsx src/main.ts"]
