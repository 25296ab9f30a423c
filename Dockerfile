# censorwatch: the CLI and every worker role in one image, with Debian's Chromium for the browser paths.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The source comes before `npm ci` because its prepare script compiles it into dist/: the one build.
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm ci --no-audit --no-fund \
 && test -f dist/workers/cli.js \
 && npm prune --omit=dev \
 && rm -f dist/.tsbuildinfo

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Production dependencies only: no TypeScript, tsx or esbuild; bin/censorwatch.js runs dist/.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENV NODE_ENV=production CENSORWATCH_DATABASE=/data/censorwatch.db
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/censorwatch.js"]
CMD ["--help"]
