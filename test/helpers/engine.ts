export * from "../../cli/analyzerClient";
export * from "../../cli/engineResources";
export * from "../../cli/policyConfig";
