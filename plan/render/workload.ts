import { asArray, asNumber, asString, isRecord } from "../../lib/unknown";
import type { RenderContext } from "./context";
import { Fields } from "./fields";
import { compact, stringMap } from "./units";

// The Compose forms a Swarm service and a standalone container share: healthcheck, volume mounts,
// networks and logging. Each is the inverse of one mapping in components/swarm/workload-args.ts; the
// provider's field names differ between the two (`networksAdvanceds[].id`, `networksAdvanced[].name`;
// `logDriver.options`, `logOpts`), so callers hand over the fields and the rule is written once.

/** A Go duration field as Compose writes it (the same Go duration syntax). */
export function durationOf(fields: Fields, key: string): string | undefined {
    return asString(fields.take(key));
}

/** The provider's healthcheck as Compose's; none when it has no test. */
export function healthcheckOf(fields: Fields): Record<string, unknown> | undefined {
    const tests = asArray(fields.take("tests")).map(String);
    if (tests.length === 0) {
        return undefined;
    }
    return compact({
        test: tests,
        interval: durationOf(fields, "interval"),
        timeout: durationOf(fields, "timeout"),
        retries: asNumber(fields.take("retries")),
        start_period: durationOf(fields, "startPeriod"),
    });
}

/** Mounts as Compose volumes; the named volumes they use are added to `volumes`. */
export function mountsOf(mounts: unknown, what: string, volumes: Set<string>): Record<string, unknown>[] {
    return asArray(mounts).map((mount) => {
        const fields = new Fields(isRecord(mount) ? mount : {}, "mounts[]");
        const rendered = compact({
            type: asString(fields.take("type")),
            source: asString(fields.take("source")),
            target: asString(fields.take("target")),
            read_only: fields.take("readOnly") === true ? true : undefined,
        });
        fields.assertAllRead(`a mount of ${what}`);
        if (rendered.type === "volume" && rendered.source !== undefined) {
            volumes.add(rendered.source);
        }
        return rendered;
    });
}

/**
 * Network attachments as Compose's `networks` map, by network name, with their aliases; the names
 * are added to `networks`. `referenceOf` reads the field that names the network (an id or a name).
 */
export function networksOf(
    attachments: unknown,
    path: string,
    what: string,
    context: RenderContext,
    referenceOf: (fields: Fields) => string,
    networks: Set<string>,
): Record<string, unknown> {
    const entries: Record<string, unknown> = {};
    for (const attachment of asArray(attachments)) {
        const fields = new Fields(isRecord(attachment) ? attachment : {}, path);
        const reference = referenceOf(fields);
        const name = context.networkNames.get(reference) ?? reference;
        const aliases = asArray(fields.take("aliases")).map(String);
        fields.assertAllRead(`a network of ${what}`);
        networks.add(name);
        entries[name] = aliases.length > 0 ? { aliases } : null;
    }
    return entries;
}

/** A log driver and its options as Compose's `logging`. */
export function loggingOf(driver: unknown, options: unknown): Record<string, unknown> {
    return compact({ driver: asString(driver), options: stringMap(options) });
}
