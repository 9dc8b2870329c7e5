import { asArray, asString, propAt } from "../../lib/unknown";
import { TYPE, type DockerHost, type RenderContext } from "./context";
import { Fields } from "./fields";
import { composeYaml } from "./yaml";
import { labelsMap, stringMap } from "./units";

// The networks and volumes Pulumi creates as resources of their own. deploy.sh creates them with
// `docker network create` and `docker volume create` before any stack is deployed: `docker stack
// deploy` creates only networks its services declare (and prefixes their names), and never volumes
// on another node. networks.yml shows the same network settings as a stack file, for review and for
// `docker stack config`; it is not deployed.

export interface NetworkSpec {
    readonly resource: string;
    readonly name: string;
    readonly driver?: string;
    readonly attachable: boolean;
    readonly internal: boolean;
    readonly subnets: readonly { readonly subnet?: string; readonly gateway?: string; readonly ipRange?: string }[];
    readonly labels: Readonly<Record<string, string>>;
    readonly options: Readonly<Record<string, string>>;
    readonly host: DockerHost;
}

export interface VolumeSpec {
    readonly resource: string;
    readonly name: string;
    readonly driver?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly options: Readonly<Record<string, string>>;
    readonly host: DockerHost;
}

export function networkSpecs(context: RenderContext): NetworkSpec[] {
    return context.planned.filter((p) => p.captured.type === TYPE.network).map(({ captured, props }) => {
        const fields = new Fields(props, "");
        const spec: NetworkSpec = {
            resource: captured.name,
            name: asString(fields.take("name")) ?? captured.name,
            driver: asString(fields.take("driver")),
            attachable: fields.take("attachable") === true,
            internal: fields.take("internal") === true,
            subnets: asArray(fields.take("ipamConfigs")).map((c) => ({
                subnet: asString(propAt(c, "subnet")),
                gateway: asString(propAt(c, "gateway")),
                ipRange: asString(propAt(c, "ipRange")),
            })),
            labels: labelsMap(fields.take("labels")) ?? {},
            options: stringMap(fields.take("options")) ?? {},
            host: context.hostOf(captured),
        };
        fields.assertAllRead(captured.name);
        return spec;
    });
}

export function volumeSpecs(context: RenderContext): VolumeSpec[] {
    return context.planned.filter((p) => p.captured.type === TYPE.volume).map(({ captured, props }) => {
        const fields = new Fields(props, "");
        const spec: VolumeSpec = {
            resource: captured.name,
            name: asString(fields.take("name")) ?? captured.name,
            driver: asString(fields.take("driver")),
            labels: labelsMap(fields.take("labels")) ?? {},
            options: stringMap(fields.take("driverOpts")) ?? {},
            host: context.hostOf(captured),
        };
        fields.assertAllRead(captured.name);
        return spec;
    });
}

/** networks.yml: the planned networks with every setting, as a stack file `docker stack config` reads. */
export function networksFile(networks: readonly NetworkSpec[], header: (what: string) => string): string {
    const definitions = Object.fromEntries(networks.map((n) => [n.name, {
        name: n.name,
        ...(n.driver ? { driver: n.driver } : {}),
        ...(n.attachable ? { attachable: true } : {}),
        ...(n.internal ? { internal: true } : {}),
        // Compose file format 3 takes only the subnet; Docker allocates the same gateway deploy.sh passes.
        ...(n.subnets.length > 0 ? { ipam: { config: n.subnets.filter((s) => s.subnet !== undefined).map((s) => ({ subnet: s.subnet })) } } : {}),
        ...(Object.keys(n.options).length > 0 ? { driver_opts: n.options } : {}),
        ...(Object.keys(n.labels).length > 0 ? { labels: n.labels } : {}),
    }]));
    return composeYaml(
        header("The overlay networks, for review and `docker stack config -c networks.yml`.\n`docker stack deploy` creates only networks its services use, so deploy.sh creates these with\n`docker network create` and the same settings; the stack files refer to them as external."),
        { version: "3.8", services: {}, networks: definitions },
    );
}

