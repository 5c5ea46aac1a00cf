# The app image: the API server (which also serves the built web app) and the worker are the same image
# with different commands (see docker-compose.yml). TypeScript runs through tsx, as in development.
FROM node:20.20.2-bookworm-slim

WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY db/package.json db/
COPY testkit/package.json testkit/
COPY server/package.json server/
COPY worker/package.json worker/
COPY web/package.json web/
# npm ci's postinstall patches two postgres.js faults (see the script).
COPY scripts/patch-deps.mjs scripts/
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
RUN npm run build -w web

ENV HOST=0.0.0.0 \
    PORT=3000 \
    NODE_OPTIONS=--enable-source-maps
USER node
EXPOSE 3000

# The API server: applies migrations, serves the API and web app, drains the outbox into Temporal.
# Needs DATABASE_URL and TEMPORAL_ADDRESS (without them it would try the embedded default).
CMD ["node", "--import", "tsx", "server/src/main.ts"]
