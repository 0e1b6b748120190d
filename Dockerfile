# syntax=docker/dockerfile:1
# Production image for every app node: Node 24 LTS, production dependencies only, no tests or docs, non-root,
# with a HEALTHCHECK on /health/ready. Build: `docker build -t seatmap .` (docker compose builds it for app1/app2).
ARG NODE_IMAGE=node:24-slim

# 1. Every dependency (Vite builds the client).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund

# 2. The web app's static build (client/dist).
FROM deps AS client
COPY tsconfig.base.json tsconfig.json ./
COPY shared shared
COPY client client
RUN npm run build -w client

# 3. Production dependencies of the server and shared code only (no Vite, Vitest, Biome, Playwright, client libs).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --omit=dev --workspace server --workspace shared --no-audit --no-fund && npm cache clean --force

# 4. What runs: the server's TypeScript (through tsx, a production dependency), migrations, ops scripts, the
# client build. .dockerignore keeps tests, docs, *.test.ts and .git out of every COPY.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules node_modules
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node shared shared
COPY --chown=node:node server server
COPY --chown=node:node migrations migrations
COPY --chown=node:node scripts/migrate.ts scripts/seed.ts scripts/retention.ts scripts/
COPY --from=client --chown=node:node /app/client/dist client/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.ts drains and closes gracefully on SIGTERM (docker stop); node is PID 1 without a shell in between.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
