import { optionsFromEnvironment } from "./config.js";
import { createHttpApiHandler } from "./lambda.js";

/** Lambda entry for API Gateway HTTP API events; built once per cold start from the function's environment. */
export const handler = createHttpApiHandler(optionsFromEnvironment(process.env));
