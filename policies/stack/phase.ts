/**
 * Whether the pack judges a preview or an update. The Pulumi CLI tells a policy pack through the
 * environment it launches it with. In a preview a value is unknown until `pulumi up` assigns it;
 * in an update (or a stack export) an unknown is a value the pack will never see, such as an
 * encrypted secret, and the messages must not promise otherwise.
 */
export function isPreview(): boolean {
    const dryRun = process.env.PULUMI_NODEJS_DRY_RUN ?? process.env.PULUMI_DRY_RUN;
    return dryRun !== "false";
}

/** `not known during preview`, or why a value is not known outside one. */
export function notKnown(): string {
    return isPreview() ? "not known during preview" : "not known to the pack (an encrypted secret, or a value the engine left unresolved)";
}

/** When the pack will judge what it could not. */
export function whenKnown(): string {
    return isPreview()
        ? "it will be evaluated at `pulumi up`"
        : "give the pack the value (for a stack export, `pulumi stack export --show-secrets`) to have it evaluated";
}
