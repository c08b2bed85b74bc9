// ForgeFactory/ForgeToken ABIs, creation code and their deterministic addresses.
export * from "./factory";
