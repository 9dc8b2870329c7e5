import { workloadsOf } from "../readers";
import { describe } from "../workload";
import { defineRule } from "./types";

// S9: `latest` makes previews meaningless and rollbacks impossible.

/** The tag of an image reference; "latest" when it has none. A digest pins it whatever the tag. */
export function imageTag(image: string): string | undefined {
    if (image.includes("@")) {
        return undefined;
    }
    const name = image.slice(image.lastIndexOf("/") + 1);
    const colon = name.lastIndexOf(":");
    return colon < 0 ? "latest" : name.slice(colon + 1);
}

/**
 * The stack setting that chooses a workload's image. Redis's resources are `<group>-redis-service`
 * (Swarm) and `<group>-redis-statefulset` (Kubernetes): child names are compatibility contracts.
 */
function imageKey(resourceName: string): string {
    return /-redis-(service|statefulset)$/.test(resourceName) ? "cascade:images.redis" : "cascade:images.tag";
}

export const noLatestImage = defineRule({
    name: "no-latest-image",
    description: "Images are pinned to a release tag or digest, not `latest` (or no tag).",
    enforcementLevel: "advisory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts).flatMap((w) => w.images.filter((image) => imageTag(image) === "latest").map((image) => ({
            resource: w.resource.name,
            urn: w.resource.urn,
            message: `${describe(w)} runs ${image}, which is ${image.endsWith(":latest") ? "" : "implicitly "}latest: previews cannot show what changes and a rollback cannot return to the previous image. Set ${imageKey(w.resource.name)} to a release.`,
        })));
    },
});
