# The MCP server image Lambda runs: the handler bundle on the AWS Lambda Node.js 22 base image.
#   docker build --provenance=false -t <ecr_repository_url>:<tag> .
FROM public.ecr.aws/lambda/nodejs:22 AS build
WORKDIR /build
# The handler's own dependencies (handler/package.json, an npm workspace) and nothing else: the
# repository's infrastructure packages (CDKTF and its provider bindings) are hundreds of MB the bundle never uses.
COPY package.json package-lock.json ./
COPY handler/package.json handler/
RUN npm ci --workspace=handler --include-workspace-root=false --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-handler.ts scripts/
COPY handler/ handler/
RUN npm run build:handler

FROM public.ecr.aws/lambda/nodejs:22
# The bundle (ES modules, with chunks loaded on first use) carries its dependencies; nothing else is needed at run time.
COPY --from=build /build/dist/handler/ ${LAMBDA_TASK_ROOT}/
# A V8 compile cache, written now by the Node.js that will run the bundle: cold starts read compiled code
# instead of compiling it (docs/performance.md). Loading the bundle needs no settings and makes no AWS call.
ENV NODE_COMPILE_CACHE=${LAMBDA_TASK_ROOT}/.node-compile-cache
RUN node --input-type=module -e "await import('${LAMBDA_TASK_ROOT}/index.js')"
CMD ["index.handler"]
