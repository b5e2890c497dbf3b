export * from "../../cli/analyzerEngine";
