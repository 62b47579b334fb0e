export * from "./stack.js";
export * from "./inputs.js";
export * from "./outputs.js";
export * from "./provider.js";
export * from "./routes.js";
