import { strict as assert } from "assert";
import { isPreview, notKnown, whenKnown } from "../../policies/stack/phase";

const VARIABLES = ["PULUMI_NODEJS_DRY_RUN", "PULUMI_DRY_RUN"] as const;

describe("the phase the pack judges", () => {
    const saved = VARIABLES.map((name) => process.env[name]);
    afterEach(() =>
        VARIABLES.forEach((name, i) => {
            if (saved[i] === undefined) delete process.env[name];
            else process.env[name] = saved[i];
        }),
    );

    function launchedWith(env: Partial<Record<(typeof VARIABLES)[number], string>>): void {
        for (const name of VARIABLES) {
            const value = env[name];
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    }

    it("is a preview when the CLI says nothing, and says an unknown waits for pulumi up", () => {
        launchedWith({});
        assert.equal(isPreview(), true);
        assert.equal(notKnown(), "not known during preview");
        assert.equal(whenKnown(), "it will be evaluated at `pulumi up`");
    });

    it("is a preview when the Node.js language host says PULUMI_NODEJS_DRY_RUN=true", () => {
        launchedWith({ PULUMI_NODEJS_DRY_RUN: "true" });
        assert.equal(isPreview(), true);
    });

    it("is an update when the Node.js language host says PULUMI_NODEJS_DRY_RUN=false, and says an unknown is a value the pack was not given", () => {
        launchedWith({ PULUMI_NODEJS_DRY_RUN: "false" });
        assert.equal(isPreview(), false);
        assert.equal(notKnown(), "not known to the pack (an encrypted secret, or a value the engine left unresolved)");
        assert.equal(whenKnown(), "give the pack the value (for a stack export, `pulumi stack export --show-secrets`) to have it evaluated");
    });

    it("is an update when only the generic PULUMI_DRY_RUN=false is set", () => {
        launchedWith({ PULUMI_DRY_RUN: "false" });
        assert.equal(isPreview(), false);
    });

    it("takes PULUMI_NODEJS_DRY_RUN over PULUMI_DRY_RUN when both are set", () => {
        launchedWith({ PULUMI_NODEJS_DRY_RUN: "true", PULUMI_DRY_RUN: "false" });
        assert.equal(isPreview(), true);
    });
});
