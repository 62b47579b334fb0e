# The MCP server image Lambda runs: the handler bundle on the AWS Lambda Node.js 22 base image.
#   docker build --provenance=false -t <ecr_repository_url>:<tag> .
FROM public.ecr.aws/lambda/nodejs:22 AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY handler/ handler/
RUN npm run build:handler

FROM public.ecr.aws/lambda/nodejs:22
# The bundle carries its dependencies; nothing else is needed at run time.
COPY --from=build /build/dist/handler/ ${LAMBDA_TASK_ROOT}/
CMD ["index.handler"]
