import { optionsFromEnvironment } from "./config.js";
import { SETTINGS } from "./http-contract.js";
import { createLambdaHandler, createStreamingLambdaHandler, type StreamingRuntime } from "./lambda.js";

const options = optionsFromEnvironment(process.env);

/**
 * Lambda entry for API Gateway proxy events (HTTP API payload 2.0 and REST),
 * built once per cold start from the function's environment. One image
 * serves both invocation modes: with response streaming (the REST front's
 * streaming integrations set MCP_RESPONSE_STREAMING) the handler is the
 * runtime's streaming kind, otherwise it returns each answer whole.
 */
export const handler = options.streaming ? createStreamingLambdaHandler(options, lambdaRuntime()) : createLambdaHandler(options);

/** The streaming API of Lambda's Node.js runtime, which only that runtime provides. */
function lambdaRuntime(): StreamingRuntime {
  const runtime = (globalThis as unknown as { awslambda?: StreamingRuntime }).awslambda;
  if (!runtime?.streamifyResponse) {
    throw new Error(`${SETTINGS.responseStreaming}=true, but this runtime has no awslambda global with streamifyResponse (Lambda's Node.js runtime provides it). Run the image on Lambda, or set ${SETTINGS.responseStreaming}=false.`);
  }
  return runtime;
}
