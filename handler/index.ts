import { optionsFromEnvironment } from "./config.js";
import { createLambdaHandler } from "./lambda.js";

/** Lambda entry for API Gateway proxy events (HTTP API payload 2.0 and REST); built once per cold start from the function's environment. */
export const handler = createLambdaHandler(optionsFromEnvironment(process.env));
