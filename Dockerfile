# syntax=docker/dockerfile:1
# One image for all Clientele processes:
#   node scripts/service.js <gateway|accounts|notifications>
#   node scripts/migrate.js

# ---- build stage -----------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig*.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime stage ---------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY --from=build --chown=node:node /app/node_modules ./node_modules
# dist/console is the partner console (scripts/build-console.js), served by the gateway at /console.
COPY --from=build --chown=node:node /app/dist ./dist
# The gateway's pages, scripts and styles: tsc does not put them in dist/.
COPY --from=build --chown=node:node /app/apps/gateway/assets ./apps/gateway/assets
# The e-mails' Eta templates, read once when notifications starts: tsc does not put them in dist/ either.
COPY --from=build --chown=node:node /app/apps/notifications/templates ./apps/notifications/templates
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/package.json ./package.json
# tsconfig-paths resolves the path aliases from this file at runtime.
COPY --from=build --chown=node:node /app/tsconfig.json ./tsconfig.json

USER node

# No HEALTHCHECK here: docker-compose.yml defines one per service.
CMD ["node", "scripts/service.js", "gateway"]
