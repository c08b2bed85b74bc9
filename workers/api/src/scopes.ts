// API key scopes: what a key may do (defined in core, where the api_keys row's type needs them).
export { SCOPES, Scope } from "@tokenforge/core/scopes";
