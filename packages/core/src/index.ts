export * from "./chains";
export * from "./launch";
export * from "./problem";
export * from "./ids";
export * from "./log";
export * from "./fees";
export * from "./address";
export * from "./trace";
