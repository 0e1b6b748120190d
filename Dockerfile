# One image for every app node. Dependencies first so source edits do not reinstall them.
FROM node:20-slim
WORKDIR /app

COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
# Dev dependencies stay: the server runs its TypeScript through tsx.
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build && chown -R node:node /app

ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
USER node
# main.ts closes gracefully on SIGTERM (docker stop).
CMD ["node_modules/.bin/tsx", "server/src/main.ts"]
