# syntax=docker/dockerfile:1
# Partner Order Service image: compiled once in a build stage, run with production dependencies only, as a
# non-root user, with a HEALTHCHECK on /healthz. docs/operations.md ("Kubernetes") shows how it is run.
#   docker build -t partner-orders:0.1.0 .

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
# What the service reads at run time, and nothing else (no src/: bin/build.js then runs dist/ as is).
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY wsdl ./wsdl
# The SQLite file (single-replica deployments) lives in /app/data, a volume writable by the service user.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
# The node image's unprivileged user (uid 1000); Kubernetes' runAsNonRoot checks the numeric id.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1's only process: SIGTERM reaches the server, which drains (server.drainDelayMs) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "bin/partner-orders.js", "serve"]
