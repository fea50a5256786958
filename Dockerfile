# One image, two processes against one PostgreSQL:
#   web:    docker run -p 3000:3000 --env-file .env -e DATABASE_URL=… -e SYNC_WORKER=off store-insights
#   worker: docker run --env-file .env -e DATABASE_URL=… store-insights npm run worker
# Both apply pending migrations before they start (Prisma Migrate takes a lock, so at once is fine).
FROM node:24-slim AS build
WORKDIR /app
# All dependencies: the install applies patches/ and generates the Prisma client (client engine, no
# Rust binaries); the build needs the dev tools. Then only production dependencies are kept.
COPY package.json package-lock.json ./
COPY patches ./patches
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
EXPOSE 3000
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/app ./app
COPY --from=build /app/scripts ./scripts
USER node
# SIGTERM (docker stop) stops either process in order; give it the 30 s the shutdown may take.
STOPSIGNAL SIGTERM
CMD ["npm", "start"]
