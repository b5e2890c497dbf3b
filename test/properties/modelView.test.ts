import { strict as assert } from "assert";
import fc from "fast-check";
import { buildEcsStackModel, readEcsStack } from "../../policies/stack/ecsModel";
import { MODEL_PROPERTIES } from "../../policies/stack/resourceShapes";
import { StackResource } from "../../policies/stack/resources";
import { NASTY_KEYS, oddValueArb, phaseArb } from "../helpers/arbitraries";
import { asPolicyResources, correctStack, urnOf } from "../helpers/stacks";

/**
 * A stack policy builds the model from the properties of `MODEL_PROPERTIES` alone, and a cached
 * model is compared on those alone; so the model built from them must be the model built from the
 * whole resources, or a change the comparison does not see could leave a stale model in use.
 * Runs: 200 for stacks of random resources of every type the model reads, with their properties
 * set from every name the shape tables hold, dependencies on any of them, and keys of no shape.
 */
const RUNS = 200;

const TYPES = [...MODEL_PROPERTIES.keys()];
const NAMES = [...new Set([...MODEL_PROPERTIES.values()].flat())];

describe("the model a stack policy reads", () => {
    it(`is the model of the whole resources, on random stacks of the types it reads (numRuns: ${RUNS})`, () => {
        const resourceArb = fc.record({
            type: fc.constantFrom(...TYPES),
            name: fc.constantFrom("exec", "task", "app", "key"),
            props: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...NASTY_KEYS, "tags", "path")), oddValueArb), { maxLength: 6 }),
            dependsOn: fc.array(fc.tuple(fc.constantFrom(...NAMES, "tags"), fc.nat()), { maxLength: 3 }),
        });
        fc.assert(
            fc.property(phaseArb, fc.array(resourceArb, { minLength: 1, maxLength: 10 }), (phase, generated) => {
                const { s } = correctStack(phase);
                const urns = generated.map((r, i) => `${urnOf(r.type, r.name)}${i}`);
                const all = [...urns, ...s.resources.map((r) => r.urn)];
                const resources: StackResource[] = [
                    ...s.resources,
                    ...generated.map((r, i) => ({
                        urn: urns[i],
                        type: r.type,
                        name: r.name,
                        props: Object.fromEntries(r.props),
                        propertyDependencies: Object.fromEntries(r.dependsOn.map(([key, n]) => [key, [all[n % all.length]]])),
                    })),
                ];
                const policyResources = asPolicyResources(resources);
                const whole: StackResource[] = policyResources.map((r) => ({
                    urn: r.urn,
                    type: r.type,
                    name: r.name,
                    props: r.props,
                    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => d.urn)])),
                }));
                assert.deepEqual(readEcsStack(policyResources).model(), buildEcsStackModel(whole));
            }),
            { numRuns: RUNS },
        );
    });
});
